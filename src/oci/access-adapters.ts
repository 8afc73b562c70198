/**
 * Adapters from the SDK clients of Identity, Events, Functions and Resource
 * Scheduler to the access ports `explain` and `doctor` read through. Like
 * adapters.ts, every call runs under the shared retry policy of one
 * {@link CallScope}, every list follows every page, and a 404 on a Get is
 * `undefined`. These modules load only for those commands.
 */
import type { EventsClient, models as eventsModels } from 'oci-events';
import type { FunctionsManagementClient } from 'oci-functions';
import { requests as identityRequests, type IdentityClient } from 'oci-identity';
import type { ScheduleClient, models as schedulerModels } from 'oci-resourcescheduler';
import type { CallScope } from '../call-scope';
import type { EventRuleInfo, EventsPort, FunctionsPort, IdentityPort, ResourceSchedulerPort, ScheduleInfo } from '../iam/access-model';
import type { DefinedTags } from '../tagging/model';
import { allPages, pageParam } from './paging';
import { callWithRetry } from './retry';

/** Page size asked of Identity's list operations (its documented maximum is 1000). */
const PAGE_LIMIT = 1000;
/**
 * Page size asked of Events and Resource Scheduler lists: ListRules refuses a
 * `limit` above 50 (`ListRulesRequest`); ListSchedules documents no maximum,
 * so it is asked no more than that either.
 */
const SMALL_PAGE_LIMIT = 50;

const notFound = (failure: { statusCode: number | undefined }) => (failure.statusCode === 404 ? { value: undefined } : undefined);

/** The Identity port over `IdentityClient`. */
export function createIdentityAdapter(client: IdentityClient, scope: CallScope): IdentityPort {
  return {
    async listCompartments(tenancyId) {
      const compartments = await allPages(scope, 'ListCompartments', tenancyId, (token) =>
        client.listCompartments({
          compartmentId: tenancyId,
          compartmentIdInSubtree: true,
          accessLevel: identityRequests.ListCompartmentsRequest.AccessLevel.Any,
          limit: PAGE_LIMIT,
          ...pageParam(token),
        }),
      );
      return compartments.map((compartment) => ({
        id: compartment.id,
        name: compartment.name,
        parentId: compartment.compartmentId,
        lifecycleState: compartment.lifecycleState,
      }));
    },
    async listDynamicGroups(tenancyId) {
      const groups = await allPages(scope, 'ListDynamicGroups', tenancyId, (token) =>
        client.listDynamicGroups({ compartmentId: tenancyId, limit: PAGE_LIMIT, ...pageParam(token) }),
      );
      return groups.map((group) => ({
        id: group.id,
        name: group.name,
        matchingRule: typeof group.matchingRule === 'string' ? group.matchingRule : undefined,
        compartmentId: group.compartmentId,
        lifecycleState: group.lifecycleState,
      }));
    },
    async listPolicies(compartmentId) {
      const policies = await allPages(scope, 'ListPolicies', compartmentId, (token) =>
        client.listPolicies({ compartmentId, limit: PAGE_LIMIT, ...pageParam(token) }),
      );
      return policies.map((policy) => ({
        id: policy.id,
        name: policy.name,
        compartmentId: policy.compartmentId,
        statements: [...(policy.statements ?? [])],
        lifecycleState: policy.lifecycleState,
      }));
    },
    async listTagNamespaces(tenancyId) {
      const namespaces = await allPages(scope, 'ListTagNamespaces', tenancyId, (token) =>
        client.listTagNamespaces({ compartmentId: tenancyId, includeSubcompartments: true, limit: PAGE_LIMIT, ...pageParam(token) }),
      );
      return namespaces.map((namespace) => ({
        id: namespace.id ?? '',
        name: namespace.name ?? '',
        compartmentId: namespace.compartmentId ?? '',
        isRetired: namespace.isRetired === true,
        lifecycleState: namespace.lifecycleState,
      }));
    },
    async listTagKeys(tagNamespaceId) {
      const keys = await allPages(scope, 'ListTags', tagNamespaceId, (token) =>
        client.listTags({ tagNamespaceId, limit: PAGE_LIMIT, ...pageParam(token) }),
      );
      return keys.map((key) => ({ name: key.name ?? '', isRetired: key.isRetired === true }));
    },
  };
}

function toRuleInfo(rule: eventsModels.Rule | eventsModels.RuleSummary): EventRuleInfo {
  const actions = 'actions' in rule && rule.actions ? rule.actions.actions : undefined;
  return {
    id: rule.id,
    displayName: rule.displayName,
    compartmentId: rule.compartmentId,
    condition: rule.condition,
    isEnabled: rule.isEnabled,
    lifecycleState: rule.lifecycleState,
    actions: actions?.map((action) => ({
      actionType: action.actionType,
      functionId: 'functionId' in action && typeof action.functionId === 'string' ? action.functionId : undefined,
      isEnabled: action.isEnabled !== false,
    })),
  };
}

/** The Events port over `EventsClient`. */
export function createEventsAdapter(client: EventsClient, scope: CallScope): EventsPort {
  return {
    async listRules(compartmentId) {
      const rules = await allPages(scope, 'ListRules', compartmentId, (token) =>
        client.listRules({ compartmentId, limit: SMALL_PAGE_LIMIT, ...pageParam(token) }),
      );
      return rules.map(toRuleInfo);
    },
    async getRule(ruleId) {
      const response = await callWithRetry(scope, 'GetRule', ruleId, () => client.getRule({ ruleId }), notFound);
      return response === undefined ? undefined : toRuleInfo(response.rule);
    },
  };
}

/** The Functions port over `FunctionsManagementClient`. */
export function createFunctionsAdapter(client: FunctionsManagementClient, scope: CallScope): FunctionsPort {
  return {
    async getFunction(functionId) {
      const response = await callWithRetry(scope, 'GetFunction', functionId, () => client.getFunction({ functionId }), notFound);
      if (response === undefined) return undefined;
      const fn = response.function;
      return {
        id: fn.id,
        displayName: fn.displayName ?? '',
        applicationId: fn.applicationId ?? '',
        compartmentId: fn.compartmentId ?? '',
        config: { ...(fn.config ?? {}) },
        lifecycleState: fn.lifecycleState,
        timeoutInSeconds: fn.timeoutInSeconds,
        detachedModeTimeoutInSeconds: fn.detachedModeTimeoutInSeconds,
        definedTags: (fn.definedTags ?? {}) as DefinedTags,
      };
    },
  };
}

function toScheduleInfo(schedule: schedulerModels.ScheduleSummary): ScheduleInfo {
  return {
    id: schedule.id,
    displayName: schedule.displayName,
    compartmentId: schedule.compartmentId,
    action: schedule.action,
    recurrenceType: schedule.recurrenceType,
    recurrenceDetails: schedule.recurrenceDetails,
    lifecycleState: schedule.lifecycleState,
    resources: (schedule.resources ?? []).map((resource) => {
      const body = (resource.parameters ?? []).find((parameter) => parameter.parameterType === 'BODY');
      const value = body === undefined ? undefined : (body as { value?: unknown }).value;
      return { id: resource.id, body: value === undefined ? undefined : typeof value === 'string' ? value : JSON.stringify(value) };
    }),
  };
}

/** The Resource Scheduler port over `ScheduleClient`. */
export function createResourceSchedulerAdapter(client: ScheduleClient, scope: CallScope): ResourceSchedulerPort {
  return {
    async listSchedules(compartmentId) {
      const schedules = await allPages(scope, 'ListSchedules', compartmentId, async (token) => {
        const response = await client.listSchedules({ compartmentId, limit: SMALL_PAGE_LIMIT, ...pageParam(token) });
        return { items: response.scheduleCollection.items, opcNextPage: response.opcNextPage };
      });
      return schedules.map(toScheduleInfo);
    },
  };
}
