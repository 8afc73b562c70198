/**
 * The scheduled reconcile in Terraform: the function's detached timeout (on
 * the function `fn deploy` created, imported once), the Resource Scheduler
 * schedule that invokes it with the reconcile body, and the schedule's
 * dynamic group and policy. Printed commented out when the plan does not
 * enable it.
 */
import { attribute, BLANK, block, comment, renderHcl, type HclItem } from './hcl';
import type { IamPlan, ReconcileSchedulePlan } from './model';
import { hclString } from './quote';
import { usesDomainEndpoint } from './render-cli';
import { scheduleLines, schedulePolicyComment } from './render-common';
import { SCHEDULE_ACTION, scheduleMatchingRule } from './schedule';
import { dynamicGroup, policy, resourceLabel } from './terraform-resources';

/** Stands for the schedule's OCID in the matching rule until it becomes a reference. */
const SCHEDULE_OCID_TOKEN = 'SCHEDULEOCIDTOKEN';

/**
 * The function's detached timeout. The function comes from `fn deploy`, so
 * the resource adopts it (import first) and takes the arguments that would
 * replace it from the function as it is.
 */
function detachedTimeout(schedule: ReconcileSchedulePlan, functionRef: string): HclItem[] {
  const current = (name: string) => attribute(name, `data.oci_functions_function.tagger.${name}`);
  return [
    comment([
      'The function was created by "fn deploy": import it once before the first apply,',
      '  terraform import oci_functions_function.tagger <function OCID>',
      'The arguments that would replace it are read from the function itself; only the timeout changes.',
    ]),
    block('data', ['oci_functions_function', 'tagger'], [attribute('function_id', functionRef)]),
    BLANK,
    block(
      'resource',
      ['oci_functions_function', 'tagger'],
      [
        current('application_id'),
        current('display_name'),
        current('memory_in_mbs'),
        attribute('detached_mode_timeout_in_seconds', String(schedule.detachedTimeoutSeconds)),
      ],
    ),
    BLANK,
  ];
}

/** The schedule, its dynamic group and its policy; printed commented out when not enabled. */
export function scheduleItems(plan: IamPlan, schedule: ReconcileSchedulePlan, functionRef: string, labels: Set<string>): HclItem[] {
  const scheduleLabel = resourceLabel('schedule', schedule.name, labels);
  const rule = hclString(scheduleMatchingRule(SCHEDULE_OCID_TOKEN)).replace(
    SCHEDULE_OCID_TOKEN,
    `\${oci_resource_scheduler_schedule.${scheduleLabel}.id}`,
  );
  const group = dynamicGroup(schedule.group, rule, resourceLabel('dg', schedule.group.name, labels), usesDomainEndpoint(plan), []);
  const resources: HclItem[] = [
    ...detachedTimeout(schedule, functionRef),
    block(
      'resource',
      ['oci_resource_scheduler_schedule', scheduleLabel],
      [
        attribute('compartment_id', hclString(schedule.compartmentId)),
        attribute('display_name', hclString(schedule.name)),
        attribute('description', hclString(schedule.description)),
        attribute('action', hclString(SCHEDULE_ACTION)),
        attribute('recurrence_type', '"CRON"'),
        attribute('recurrence_details', hclString(schedule.cron)),
        block(
          'resources',
          [],
          [
            attribute('id', functionRef),
            block('parameters', [], [attribute('parameter_type', '"BODY"'), attribute('value', `[${hclString(schedule.bodyJson)}]`)]),
          ],
        ),
        attribute('depends_on', '[oci_functions_function.tagger]'),
      ],
    ),
    BLANK,
    comment(schedulePolicyComment()),
    group.item,
    BLANK,
    policy(schedule.policy, resourceLabel('policy', schedule.policy.name, labels), [group.ref]),
  ];
  return [
    comment(['The scheduled reconcile.', ...scheduleLines(schedule)]),
    BLANK,
    ...(schedule.enabled ? resources : [comment(renderHcl(resources))]),
    BLANK,
  ];
}
