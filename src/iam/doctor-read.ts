/**
 * Everything `doctor` reads, read once through the access ports: the
 * tenancy's IAM, the tag namespace and its keys, the function, the node
 * pools with the instances behind their nodes (discovery, as `iam` does
 * it), the Events rules of the watched compartments and their ancestors,
 * the schedules, and a reconcile dry run. A read that fails is kept as
 * such, so the checks built on it answer "unknown".
 */
import { forEachConcurrently } from '../concurrency';
import { describeError, OciCallError } from '../errors';
import type { ReconcileSummary } from '../tagging/reconcile';
import { isInstanceGone, isNodeDeleted } from '../tagging/lifecycle';
import type { InstanceInfo, NodePoolInfo, Ports } from '../tagging/model';
import type { AccessPorts, EventRuleInfo, ScheduleInfo } from './access-model';
import { discoverPools } from './discover';
import type { DoctorFacts, DoctorPool, DoctorSettings, ListedFacts, Read, TagFacts, WatchedCompartments } from './doctor-model';
import { watchedCompartments } from './doctor-plan';
import { unique } from './model';
import type { CompartmentTree } from './policy-statement-evaluate';
import { readTenancyIam, type UnreadPart } from './tenancy-iam';
import { RECONCILE_DRY_RUN } from './doctor-model';
import { isResourceGone } from '../tagging/lifecycle';

/** Reads in flight for rules and schedules. */
export const DOCTOR_READ_CONCURRENCY = 8;

/**
 * What the read needs besides the ports: the reconcile dry run (wired by the
 * caller, as `reconcile` wires it, over the `ports` it is handed) and progress.
 */
export interface DoctorReadDeps {
  readonly dryRun: (watched: WatchedCompartments, ports: Ports) => Promise<ReconcileSummary>;
  readonly onProgress?: (message: string) => void;
}

/** Runs each read once per key; later callers share the first call's answer (a copy of it) or its failure. */
function once<A extends unknown[], T>(keyOf: (...args: A) => string, read: (...args: A) => Promise<T>): (...args: A) => Promise<T> {
  const started = new Map<string, Promise<T>>();
  return (...args) => {
    const key = keyOf(...args);
    let pending = started.get(key);
    if (pending === undefined) {
      pending = read(...args);
      started.set(key, pending);
    }
    return pending.then((value) => structuredClone(value));
  };
}

/**
 * The enforcement ports of one doctor run with each read made once: the
 * pools' discovery and the reconcile dry run see the same answers, and no
 * pool, list or instance is read twice. Writes pass through (the dry run
 * makes none).
 */
export function readOncePorts(ports: Ports): Ports {
  return {
    compute: {
      getInstance: once(
        (id) => id,
        (id) => ports.compute.getInstance(id),
      ),
      listInstances: once(
        (compartmentId) => compartmentId,
        (compartmentId) => ports.compute.listInstances(compartmentId),
      ),
      updateDefinedTags: (instanceId, definedTags, etag) => ports.compute.updateDefinedTags(instanceId, definedTags, etag),
    },
    containerEngine: {
      getNodePool: once(
        (id) => id,
        (id) => ports.containerEngine.getNodePool(id),
      ),
      listNodePools: once(
        (compartmentId, clusterId) => `${compartmentId} ${clusterId ?? ''}`,
        (compartmentId, clusterId) => ports.containerEngine.listNodePools(compartmentId, clusterId),
      ),
      getCluster: once(
        (id) => id,
        (id) => ports.containerEngine.getCluster(id),
      ),
    },
  };
}

function unreadOf(error: unknown, operation: string, resourceId: string): UnreadPart {
  if (error instanceof OciCallError) return { operation: error.operation, resourceId: error.resourceId, reason: describeError(error) };
  return { operation, resourceId, reason: describeError(error) };
}

async function attempt<T>(operation: string, resourceId: string, read: () => Promise<T>): Promise<Read<T>> {
  try {
    return { ok: true, value: await read() };
  } catch (error) {
    return { ok: false, unread: unreadOf(error, operation, resourceId) };
  }
}

async function readTags(ports: AccessPorts, settings: DoctorSettings): Promise<Read<TagFacts>> {
  const namespaces = await attempt('ListTagNamespaces', ports.tenancyId, () => ports.identity.listTagNamespaces(ports.tenancyId));
  if (!namespaces.ok) return namespaces;
  const wanted = settings.tagNamespace.toLowerCase();
  const namespace = namespaces.value.find(
    (candidate) => candidate.name.toLowerCase() === wanted && !isResourceGone(candidate.lifecycleState),
  );
  const keys =
    namespace === undefined
      ? { ok: true as const, value: [] }
      : await attempt('ListTags', namespace.id, () => ports.identity.listTagKeys(namespace.id));
  return { ok: true, value: { namespace, keys } };
}

/** Discovery over ports that remember the pools' nodes and the instances they read, so no node is read twice. */
async function readPools(ports: Ports, settings: DoctorSettings): Promise<Read<readonly DoctorPool[]>> {
  const pools = new Map<string, NodePoolInfo>();
  const instances = new Map<string, InstanceInfo>();
  const recording: Ports = {
    containerEngine: {
      ...ports.containerEngine,
      getNodePool: async (id) => {
        const pool = await ports.containerEngine.getNodePool(id);
        if (pool !== undefined) pools.set(pool.id || id, pool);
        return pool;
      },
    },
    compute: {
      ...ports.compute,
      listInstances: async (compartmentId) => {
        const listed = await ports.compute.listInstances(compartmentId);
        for (const instance of listed) instances.set(instance.id, instance);
        return listed;
      },
      getInstance: async (id) => {
        const snapshot = await ports.compute.getInstance(id);
        instances.set(snapshot.instance.id, snapshot.instance);
        return snapshot;
      },
    },
  };
  return attempt('ListNodePools', settings.compartmentIds[0] ?? '', async () => {
    const facts = await discoverPools(recording, settings.compartmentIds);
    return facts.map((fact) => {
      const pool = pools.get(fact.id);
      const nodes = (pool?.nodes ?? pool?.nodeIds.map((id) => ({ id })) ?? []).flatMap((node) => {
        if (isNodeDeleted('lifecycleState' in node ? node.lifecycleState : undefined)) return [];
        const instance = instances.get(node.id);
        return instance === undefined || isInstanceGone(instance.lifecycleState)
          ? []
          : [{ id: instance.id, compartmentId: instance.compartmentId }];
      });
      return { ...fact, nodes };
    });
  });
}

/** The compartments and every ancestor up to the tenancy: rules there apply to events below. */
function withAncestors(compartmentIds: readonly string[], tree: CompartmentTree): string[] {
  const all = new Set<string>([tree.tenancyId]);
  for (const start of compartmentIds) {
    let current: string | undefined = start;
    while (current !== undefined && !all.has(current)) {
      all.add(current);
      const id: string = current;
      current = tree.compartments.find((node) => node.id === id)?.parentId;
    }
  }
  return [...all];
}

async function readRules(ports: AccessPorts, compartmentIds: readonly string[]): Promise<ListedFacts<EventRuleInfo>> {
  const unread: UnreadPart[] = [];
  const summaries: EventRuleInfo[] = [];
  await forEachConcurrently(compartmentIds, DOCTOR_READ_CONCURRENCY, async (compartmentId) => {
    const listed = await attempt('ListRules', compartmentId, () => ports.events.listRules(compartmentId));
    if (listed.ok) summaries.push(...listed.value.filter((rule) => !isResourceGone(rule.lifecycleState)));
    else unread.push(listed.unread);
  });
  // ListRules answers without actions; each rule is read once for its targets. A rule that cannot be read keeps `actions` undefined (unknown).
  const items: EventRuleInfo[] = [];
  await forEachConcurrently(summaries, DOCTOR_READ_CONCURRENCY, async (summary) => {
    const got = await attempt('GetRule', summary.id, () => ports.events.getRule(summary.id));
    if (got.ok && got.value !== undefined) items.push(got.value);
    else {
      // OCI answers 404 both for a rule deleted since the list and for one the reader may not read: not read either way.
      unread.push(
        got.ok
          ? {
              operation: 'GetRule',
              resourceId: summary.id,
              reason: 'GetRule answered 404: the rule is gone, or the reader may not read it',
            }
          : got.unread,
      );
      items.push(summary);
    }
  });
  items.sort(
    (a, b) => a.compartmentId.localeCompare(b.compartmentId) || a.displayName.localeCompare(b.displayName) || a.id.localeCompare(b.id),
  );
  return { items, unread };
}

async function readSchedules(ports: AccessPorts, compartmentIds: readonly string[]): Promise<ListedFacts<ScheduleInfo>> {
  const unread: UnreadPart[] = [];
  const items: ScheduleInfo[] = [];
  await forEachConcurrently(compartmentIds, DOCTOR_READ_CONCURRENCY, async (compartmentId) => {
    const listed = await attempt('ListSchedules', compartmentId, () => ports.resourceScheduler.listSchedules(compartmentId));
    if (listed.ok) items.push(...listed.value);
    else unread.push(listed.unread);
  });
  items.sort((a, b) => a.displayName.localeCompare(b.displayName) || a.id.localeCompare(b.id));
  return { items, unread };
}

/** Reads the facts of one doctor run. */
export async function readDoctorFacts(ports: AccessPorts, settings: DoctorSettings, deps: DoctorReadDeps): Promise<DoctorFacts> {
  const progress = deps.onProgress ?? (() => {});
  const shared = readOncePorts(ports);
  progress('reading compartments, dynamic groups and policies');
  const [iam, tags, fn, pools] = await Promise.all([
    readTenancyIam(ports, progress),
    readTags(ports, settings),
    attempt('GetFunction', settings.functionId, () => ports.functions.getFunction(settings.functionId)),
    readPools(shared, settings),
  ]);
  const watched = watchedCompartments(pools.ok ? pools.value : [], settings.compartmentIds);
  const fnCompartment = fn.ok ? fn.value?.compartmentId : undefined;
  const ruleCompartmentIds = withAncestors(unique([...watched.instanceCompartmentIds, ...watched.poolCompartmentIds]), iam.tree);
  const scheduleCompartmentIds = unique(
    settings.scheduleCompartmentIds ?? [...(fnCompartment === undefined ? [] : [fnCompartment]), ...settings.compartmentIds],
  );
  progress(`reading the Events rules of ${ruleCompartmentIds.length} compartment(s), the schedules, and a reconcile dry run`);
  const [rules, schedules, nodes] = await Promise.all([
    readRules(ports, ruleCompartmentIds),
    readSchedules(ports, scheduleCompartmentIds),
    attempt(RECONCILE_DRY_RUN, settings.compartmentIds[0] ?? '', () => deps.dryRun(watched, shared)),
  ]);
  return { settings, iam, tags, fn, pools, rules, ruleCompartmentIds, schedules, scheduleCompartmentIds, nodes };
}
