/**
 * The grants of the plan: the function's least-privilege policy, the policy
 * that lets the Events service invoke it, one Events rule per compartment
 * that holds the pools' instances or the pools themselves, and the commented
 * examples (grants for a pool group, and how to keep others from using the
 * tag namespace).
 */
import { INSTANCE_EVENT_TYPES, NODE_POOL_EVENT_TYPES } from '../event/event-types';
import { instanceCompartments, unique, type EventsRulePlan, type IamInput, type PolicyPlan, type PoolFact } from './model';
import { iamString } from './quote';
import type { PlannedGroups } from './groups';

/** Where the Events→Functions policy statement comes from. */
export const EVENTS_POLICY_SOURCE =
  'Oracle docs "Events and IAM Policies", section "Allow the Events Service to Deliver Events to Action Resources" (https://docs.oracle.com/iaas/Content/Events/Concepts/eventspolicy.htm)';

/** The planned grants. */
export interface PlannedPolicies {
  readonly policies: readonly PolicyPlan[];
  readonly eventsRules: readonly EventsRulePlan[];
  /** Where the pools' instances live (the scope when there is no pool). */
  readonly instanceCompartmentIds: readonly string[];
  /** Where the pools are (the scope when there is no pool). */
  readonly poolCompartmentIds: readonly string[];
  /** Commented-out examples of grants for the pool groups (never applied). */
  readonly examples: readonly string[];
  /** Statements showing how to keep others from using the tag namespace (never applied). */
  readonly restrictionExamples: readonly string[];
}

/** `dynamic-group name` or `dynamic-group 'domain'/'name'`. */
export function dynamicGroupSubject(name: string, identityDomain: string | undefined): string {
  return identityDomain === undefined ? `dynamic-group ${name}` : `dynamic-group ${iamString(identityDomain)}/${iamString(name)}`;
}

/** OCI's limit on the statements of one policy (IAM service limits: 50 statements per policy). */
export const MAX_POLICY_STATEMENTS = 50;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += size) out.push(items.slice(start, start + size));
  return out;
}

function location(compartmentId: string | undefined): string {
  return compartmentId === undefined ? 'tenancy' : `compartment id ${compartmentId}`;
}

function functionPolicies(input: IamInput, usable: readonly PoolFact[], fnSubject: string, instanceCompartmentIds: string[]): PolicyPlan[] {
  const clusterCompartmentIds = unique([...input.compartmentIds, ...usable.map((pool) => pool.compartmentId)]);
  const statements = [
    ...clusterCompartmentIds.map((id) => `Allow ${fnSubject} to read cluster-family in compartment id ${id}`),
    ...instanceCompartmentIds.map((id) => `Allow ${fnSubject} to read instances in compartment id ${id}`),
    ...instanceCompartmentIds.map(
      (id) => `Allow ${fnSubject} to use instances in compartment id ${id} where request.permission = 'INSTANCE_UPDATE'`,
    ),
    `Allow ${fnSubject} to use tag-namespaces in ${location(input.tagNamespaceCompartmentId)} where target.tag-namespace.name = ${iamString(input.tagNamespace)}`,
  ];
  const description =
    'Least privilege for oke-nodepool-tagger: read node pools and instances, update instances, use only its tag namespace';
  // Past the limit the statements go on in -fn-2, -fn-3, … after the Events policy, so the first two keep their places.
  const [first = [], ...overflow] = chunks(statements, MAX_POLICY_STATEMENTS);
  return [
    { name: `${input.namePrefix}-nodepool-tagger-fn`, description, statements: first },
    {
      name: `${input.namePrefix}-nodepool-tagger-events`,
      description: 'Lets the Events service invoke functions (oke-nodepool-tagger)',
      statements: [`Allow service cloudEvents to use functions-family in compartment id ${input.functionCompartmentId}`],
    },
    ...overflow.map((part, index) => ({ name: `${input.namePrefix}-nodepool-tagger-fn-${index + 2}`, description, statements: part })),
  ];
}

/** What a rule sends, by the kinds of resource its compartment holds. */
function rulePurpose(instances: boolean, pools: boolean): string {
  if (instances && pools) return 'instance and node pool events';
  return instances ? 'instance events' : 'node pool events';
}

/**
 * One rule per compartment: instance events where instances live, node-pool
 * (and cluster) events where pools live, both where a compartment holds
 * both. Every rule keeps the name of the launch-only rule earlier versions
 * created, so that re-running the setup updates that rule instead of adding
 * a second one that would deliver each launch twice.
 */
function eventsRules(input: IamInput, instanceCompartmentIds: readonly string[], poolCompartmentIds: readonly string[]): EventsRulePlan[] {
  return unique([...instanceCompartmentIds, ...poolCompartmentIds]).map((compartmentId) => {
    const instances = instanceCompartmentIds.includes(compartmentId);
    const pools = poolCompartmentIds.includes(compartmentId);
    const eventType = [...(instances ? INSTANCE_EVENT_TYPES : []), ...(pools ? NODE_POOL_EVENT_TYPES : [])];
    const condition = { eventType, data: { compartmentId: [compartmentId] } };
    return {
      name: `${input.namePrefix}-nodepool-tagger-launch`,
      compartmentId,
      description: `Sends ${rulePurpose(instances, pools)} to oke-nodepool-tagger`,
      condition,
      conditionJson: JSON.stringify(condition),
    };
  });
}

function examples(input: IamInput, groups: PlannedGroups): string[] {
  const exampleGroup = groups.poolGroups[0];
  if (!exampleGroup) return [];
  const subject = dynamicGroupSubject(exampleGroup.name, input.identityDomain);
  const compartment = input.compartmentIds[0] ?? input.functionCompartmentId;
  return [
    `Allow ${subject} to read repos in compartment id ${compartment}`,
    `Allow ${subject} to read objects in compartment id ${compartment} where target.bucket.name = 'my-app-bucket'`,
  ];
}

/**
 * Plans the grants for the usable pools. The instance compartments (where
 * the function reads and updates instances and where instance events are
 * subscribed) are the pools' instance compartments, and the pool
 * compartments (where pool events are subscribed) the pools' own; both are
 * the scope when there is no pool.
 */
export function planPolicies(input: IamInput, usable: readonly PoolFact[], groups: PlannedGroups): PlannedPolicies {
  const fnSubject = dynamicGroupSubject(groups.functionGroup.name, input.identityDomain);
  const instanceCompartmentIds = usable.length > 0 ? unique(usable.flatMap(instanceCompartments)) : unique(input.compartmentIds);
  const poolCompartmentIds = usable.length > 0 ? unique(usable.map((pool) => pool.compartmentId)) : unique(input.compartmentIds);
  return {
    policies: functionPolicies(input, usable, fnSubject, instanceCompartmentIds),
    eventsRules: eventsRules(input, instanceCompartmentIds, poolCompartmentIds),
    instanceCompartmentIds,
    poolCompartmentIds,
    examples: examples(input, groups),
    restrictionExamples: [
      `Allow group TagAdmins to use tag-namespaces in ${location(input.tagNamespaceCompartmentId)} where target.tag-namespace.name = ${iamString(input.tagNamespace)}`,
      `Allow group Developers to use tag-namespaces in tenancy where target.tag-namespace.name != ${iamString(input.tagNamespace)}`,
    ],
  };
}
