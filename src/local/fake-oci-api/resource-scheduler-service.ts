/** Resource Scheduler (API version 20240430): the schedules that invoke the function. */
import { ocidType } from '../../ocid';
import { SCHEDULE_STATES } from '../world-operations';
import type { WorldSchedule } from '../world-types';
import { invalidParameter, missingParameter, notFound } from './api-error';
import { contentEtag } from './etags';
import { pageOf, SORT_ORDERS, sortItems } from './paging';
import { pathOcid, type OciService, type Reply, type RequestContext, type ServiceState } from './route-table';

export type ResourceSchedulerOperation = 'ListSchedules' | 'GetSchedule';

/** The Resource Scheduler routes over the shared state. */
export const resourceSchedulerService: OciService<ResourceSchedulerOperation> = (state) => {
  const scheduler = new ResourceSchedulerHandlers(state);
  return [
    { method: 'GET', path: '/20240430/schedules', operation: 'ListSchedules', handle: (c) => scheduler.listSchedules(c) },
    { method: 'GET', path: '/20240430/schedules/:id', operation: 'GetSchedule', handle: (c) => scheduler.getSchedule(c) },
  ];
};

/** The `sortBy` values of ListSchedules (`ListSchedulesRequest.SortBy`) and the fields they sort on. */
const SORT_FIELDS: Readonly<Record<string, string>> = {
  timeCreated: 'timeCreated',
  displayName: 'displayName',
  lifecycleState: 'lifecycleState',
  state: 'lifecycleState',
};

class ResourceSchedulerHandlers {
  constructor(private readonly state: ServiceState) {}

  listSchedules({ query }: RequestContext): Reply {
    query.allowOnly(['compartmentId', 'lifecycleState', 'displayName', 'scheduleId', 'limit', 'page', 'sortBy', 'sortOrder', 'resourceId']);
    // The API wants a compartment, a schedule or both (its reference: "You must provide either a compartmentId or a scheduleId").
    const compartmentId = query.optional('compartmentId') === undefined ? undefined : query.compartmentId();
    const scheduleId = query.optionalOcid('scheduleId', 'resourceschedule');
    if (compartmentId === undefined && scheduleId === undefined) throw missingParameter('compartmentId');
    const lifecycleState = this.lifecycleState(query.optional('lifecycleState'));
    const displayName = query.optional('displayName');
    const resourceId = query.optional('resourceId');
    if (resourceId !== undefined && ocidType(resourceId) === undefined) throw invalidParameter(`Invalid resourceId: ${resourceId}`);
    const [sortBy] = query.enumValues('sortBy', Object.keys(SORT_FIELDS));
    const [sortOrder] = query.enumValues('sortOrder', SORT_ORDERS);
    const matching = this.schedules().filter(
      (schedule) =>
        (compartmentId === undefined || schedule.compartmentId === compartmentId) &&
        (scheduleId === undefined || schedule.id === scheduleId) &&
        (lifecycleState === undefined || schedule.lifecycleState === lifecycleState) &&
        (displayName === undefined || schedule.displayName === displayName) &&
        (resourceId === undefined || schedule.resources.some((resource) => resource.id === resourceId)),
    );
    // timeCreated sorts newest first unless told otherwise, the others A to Z.
    const order = sortOrder ?? (sortBy === 'timeCreated' ? 'DESC' : undefined);
    const sorted = sortItems(matching, sortBy === undefined ? undefined : SORT_FIELDS[sortBy], order);
    const page = pageOf(sorted, 'ListSchedules', query, this.state.pageSize);
    // A ScheduleCollection {items}; ScheduleSummary keeps the resources and their parameters.
    return { status: 200, body: { items: page.body }, ...(page.nextPage === undefined ? {} : { nextPage: page.nextPage }) };
  }

  getSchedule({ id, query }: RequestContext): Reply {
    query.allowOnly([]);
    const scheduleId = pathOcid(id, 'resourceschedule', 'scheduleId');
    const schedule = this.schedules().find((candidate) => candidate.id === scheduleId);
    if (schedule === undefined) throw notFound();
    return { status: 200, body: schedule, etag: contentEtag(schedule) };
  }

  /** The filter is case-insensitive, as the API reference says. */
  private lifecycleState(value: string | undefined): string | undefined {
    if (value === undefined) return undefined;
    const upper = value.toUpperCase();
    if (!SCHEDULE_STATES.includes(upper))
      throw invalidParameter(`Invalid lifecycleState: ${value} (expected one of ${SCHEDULE_STATES.join(', ')})`);
    return upper;
  }

  private schedules(): WorldSchedule[] {
    return this.state.world.schedules ?? [];
  }
}
