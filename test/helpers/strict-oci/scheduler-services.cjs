/**
 * The Resource Scheduler and Functions commands of the strict stand-in:
 * schedules (listed as a ScheduleCollection, under `items`) that invoke
 * functions of the state, their activation, and the function update that
 * sets a detached timeout or replaces the config. Functions are seeded by
 * the test, as `fn deploy` would have created them.
 */
const { add, invalid, live, listed, requireOcid } = require('./resources.cjs');

/** The detached timeouts OCI Functions accepts (Oracle's Functions limits: 5-3600 s). */
const DETACHED_TIMEOUT = { min: 5, max: 3600 };

/** Refuses a recurrence the schedule could not run: only five-field cron expressions are modelled. */
function checkRecurrence(type, details) {
  if (type !== 'CRON') throw invalid(`the strict stand-in models only CRON recurrences, not ${type}`);
  if (details.trim().split(/\s+/).length !== 5) throw invalid(`recurrence ${JSON.stringify(details)} is not a five-field cron expression`);
}

/** Refuses resources that are not live functions of the state. */
function checkScheduledResources(state, resources) {
  for (const resource of resources) live(state.functions, resource.id, 'function');
}

const SCHEDULE_FIELDS = [
  ['--display-name', 'display-name'],
  ['--description', 'description'],
  ['--action', 'action'],
  ['--recurrence-type', 'recurrence-type'],
  ['--recurrence-details', 'recurrence-details'],
  ['--resources', 'resources'],
];

const SCHEDULER_HANDLERS = {
  'resource-scheduler schedule list': (state, o) => {
    if (!o.has('--compartment-id') && !o.has('--schedule-id')) throw invalid('give --compartment-id or --schedule-id');
    const match = (item) =>
      (!o.has('--compartment-id') || item['compartment-id'] === o.get('--compartment-id')) &&
      (!o.has('--schedule-id') || item.id === o.get('--schedule-id')) &&
      (!o.has('--display-name') || item['display-name'] === o.get('--display-name'));
    return { items: listed(state.schedules, o, match) };
  },
  'resource-scheduler schedule create': (state, o) => {
    requireOcid('--compartment-id', o.get('--compartment-id'));
    checkRecurrence(o.get('--recurrence-type'), o.get('--recurrence-details'));
    if (!o.has('--resources') && !o.has('--resource-filters')) throw invalid('give --resources or --resource-filters');
    checkScheduledResources(state, o.get('--resources') ?? []);
    const fields = Object.fromEntries(SCHEDULE_FIELDS.filter(([flag]) => o.has(flag)).map(([flag, key]) => [key, o.get(flag)]));
    return add(state, 'schedules', 'resourceschedule', {
      'compartment-id': o.get('--compartment-id'),
      ...fields,
      'lifecycle-state': 'ACTIVE',
    });
  },
  'resource-scheduler schedule update': (state, o) => {
    const item = live(state.schedules, o.get('--schedule-id'), 'schedule');
    checkRecurrence(o.get('--recurrence-type') ?? item['recurrence-type'], o.get('--recurrence-details') ?? item['recurrence-details']);
    if (o.has('--resources')) checkScheduledResources(state, o.get('--resources'));
    for (const [flag, key] of SCHEDULE_FIELDS) if (o.has(flag)) item[key] = o.get(flag);
    return item;
  },
  'resource-scheduler schedule activate': (state, o) => {
    const item = live(state.schedules, o.get('--schedule-id'), 'schedule');
    item['lifecycle-state'] = 'ACTIVE';
    return item;
  },
  'fn function update': (state, o) => {
    const item = live(state.functions, o.get('--function-id'), 'function');
    if (o.has('--config')) item.config = o.get('--config');
    if (o.has('--detached-mode-timeout-in-seconds')) {
      const seconds = o.get('--detached-mode-timeout-in-seconds');
      if (seconds < DETACHED_TIMEOUT.min || seconds > DETACHED_TIMEOUT.max)
        throw invalid(`detachedModeTimeoutInSeconds ${seconds} is outside ${DETACHED_TIMEOUT.min}-${DETACHED_TIMEOUT.max}`);
      item['detached-mode-timeout-in-seconds'] = seconds;
    }
    return item;
  },
};

module.exports = { SCHEDULER_HANDLERS };
