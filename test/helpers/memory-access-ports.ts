/**
 * In-memory access ports for unit tests of `explain` and `doctor`: a
 * {@link MemoryCloud} for the enforcement reads plus Identity, identity
 * domains, Events, Functions and Resource Scheduler over plain arrays. They
 * count calls and can fail a read, like the enforcement fakes.
 */
import { OciCallError } from '../../src/errors';
import type {
  AccessPorts,
  CompartmentInfo,
  DynamicGroupInfo,
  EventRuleInfo,
  FunctionInfo,
  PolicyInfo,
  ScheduleInfo,
  TagKeyInfo,
  TagNamespaceInfo,
} from '../../src/iam/access-model';
import { MemoryCloud, type MemoryWorld } from './memory-ports';

export interface MemoryAccessWorld extends MemoryWorld {
  tenancyId: string;
  compartments: CompartmentInfo[];
  dynamicGroups: DynamicGroupInfo[];
  policies: PolicyInfo[];
  tagNamespaces: (TagNamespaceInfo & { keys: TagKeyInfo[] })[];
  /** Rules with their actions; ListRules answers them without. */
  rules: EventRuleInfo[];
  functions: FunctionInfo[];
  schedules: ScheduleInfo[];
  /** Identity domains other than Default, by display name. */
  domains: { domain: string; dynamicGroups: DynamicGroupInfo[] }[];
}

/** A read the caller may not make: OCI answers 404 NotAuthorizedOrNotFound. */
export function notAuthorized(operation: string, resourceId: string): OciCallError {
  return new OciCallError(operation, resourceId, 404, 'NotAuthorizedOrNotFound', 'Authorization failed or requested resource not found.');
}

export class MemoryAccessCloud extends MemoryCloud {
  constructor(readonly access: MemoryAccessWorld) {
    super(access);
  }

  private read(operation: string, resourceId: string): void {
    this.calls.push(operation);
    const failure = this.failures.get(`${operation} ${resourceId}`) ?? this.failures.get(`${operation} *`);
    if (failure) throw failure;
  }

  /** The ports `explain` and `doctor` take, over this cloud. */
  ports(): AccessPorts {
    const world = this.access;
    return {
      compute: this.compute,
      containerEngine: this.containerEngine,
      tenancyId: world.tenancyId,
      identity: {
        listCompartments: async (tenancyId) => {
          this.read('ListCompartments', tenancyId);
          return structuredClone(world.compartments);
        },
        listDynamicGroups: async (tenancyId) => {
          this.read('ListDynamicGroups', tenancyId);
          return structuredClone(world.dynamicGroups);
        },
        listPolicies: async (compartmentId) => {
          this.read('ListPolicies', compartmentId);
          return structuredClone(world.policies.filter((policy) => policy.compartmentId === compartmentId));
        },
        listTagNamespaces: async (tenancyId) => {
          this.read('ListTagNamespaces', tenancyId);
          return world.tagNamespaces.map(({ keys: _keys, ...namespace }) => structuredClone(namespace));
        },
        listTagKeys: async (tagNamespaceId) => {
          this.read('ListTags', tagNamespaceId);
          return structuredClone(world.tagNamespaces.find((namespace) => namespace.id === tagNamespaceId)?.keys ?? []);
        },
      },
      identityDomains: world.domains.map(({ domain, dynamicGroups }) => ({
        domain,
        listDynamicGroups: async () => {
          this.read('ListDynamicResourceGroups', domain);
          return structuredClone(dynamicGroups);
        },
      })),
      events: {
        listRules: async (compartmentId) => {
          this.read('ListRules', compartmentId);
          return world.rules.filter((rule) => rule.compartmentId === compartmentId).map(({ actions: _actions, ...rule }) => ({ ...rule }));
        },
        getRule: async (ruleId) => {
          this.read('GetRule', ruleId);
          return structuredClone(world.rules.find((rule) => rule.id === ruleId));
        },
      },
      functions: {
        getFunction: async (functionId) => {
          this.read('GetFunction', functionId);
          return structuredClone(world.functions.find((fn) => fn.id === functionId));
        },
      },
      resourceScheduler: {
        listSchedules: async (compartmentId) => {
          this.read('ListSchedules', compartmentId);
          return structuredClone(world.schedules.filter((schedule) => schedule.compartmentId === compartmentId));
        },
      },
    };
  }
}

/** An access world with nothing in it but the tenancy. */
export function emptyAccessWorld(tenancyId: string): MemoryAccessWorld {
  return {
    instances: [],
    pools: [],
    clusters: [],
    tenancyId,
    compartments: [],
    dynamicGroups: [],
    policies: [],
    tagNamespaces: [],
    rules: [],
    functions: [],
    schedules: [],
    domains: [],
  };
}
