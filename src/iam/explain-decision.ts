/**
 * The function's own decision for one instance, as `explain` shows it. It
 * runs what the function runs for an `updateinstance` event (the same
 * wiring, `enforceInstanceWith`, the same membership rule and desired-tag
 * computation) in dry run, over ports that record what was read and refuse
 * every write. Nothing here decides membership or tags a second time: it
 * only maps the function's outcome onto explain's three-valued fields.
 */
import type { CallScope } from '../call-scope';
import type { TaggerConfig } from '../config';
import { describeError, MembershipUnknownError, TaggerError } from '../errors';
import type { TagInstanceResult } from '../tagging/enforce-instance';
import type { ClusterInfo, InstanceSnapshot, NodePoolInfo, Ports } from '../tagging/model';
import { createTagHistory } from '../tagging/tag-history';
import { enforceInstanceWith } from '../use-cases';
import type { ExplainAction, Tri } from './explain-types';

/** What the reads on the way to the decision saw. */
export interface DecisionReads {
  readonly snapshot: InstanceSnapshot | undefined;
  readonly pools: ReadonlyMap<string, NodePoolInfo>;
  readonly clusters: ReadonlyMap<string, ClusterInfo>;
}

/** The function's decision, mapped. `result` is absent when the decision failed (the function would fail the invocation). */
export interface Decision {
  readonly result: TagInstanceResult | undefined;
  readonly member: Tri;
  readonly memberReason: string;
  readonly action: ExplainAction;
  readonly actionReason: string;
  /** Our keys as the function would leave them; `'unknown'` when it could not decide. */
  readonly expectedTags: Readonly<Record<string, string>> | 'unknown';
  readonly reads: DecisionReads;
}

/** Ports that pass every read through, remember what came back, and refuse to write. */
function recordingPorts(ports: Ports): { ports: Ports; reads: DecisionReads } {
  const pools = new Map<string, NodePoolInfo>();
  const clusters = new Map<string, ClusterInfo>();
  const reads: { snapshot: InstanceSnapshot | undefined; pools: typeof pools; clusters: typeof clusters } = {
    snapshot: undefined,
    pools,
    clusters,
  };
  return {
    reads,
    ports: {
      compute: {
        getInstance: async (instanceId) => {
          const snapshot = await ports.compute.getInstance(instanceId);
          reads.snapshot = snapshot;
          return snapshot;
        },
        // The decision runs in dry run, which never writes; this makes sure no path of it ever can.
        updateDefinedTags: async (instanceId) => {
          throw new TaggerError(`explain is read-only, but the decision for ${instanceId} asked to write its tags`);
        },
        listInstances: (compartmentId) => ports.compute.listInstances(compartmentId),
      },
      containerEngine: {
        getNodePool: async (nodePoolId) => {
          const pool = await ports.containerEngine.getNodePool(nodePoolId);
          if (pool !== undefined) pools.set(pool.id, pool);
          return pool;
        },
        listNodePools: (compartmentId, clusterId) => ports.containerEngine.listNodePools(compartmentId, clusterId),
        getCluster: async (clusterId) => {
          const cluster = await ports.containerEngine.getCluster(clusterId);
          if (cluster !== undefined) clusters.set(cluster.id, cluster);
          return cluster;
        },
      },
    },
  };
}

/**
 * Runs the function's decision for an `updateinstance` event on
 * `instanceId`, in dry run. `config` is the function's configuration
 * (`impostor_action`, `membership_grace_minutes`, `compartment_id`, the tag
 * keys); its `dry_run` is forced on.
 */
export async function decideAsTheFunction(config: TaggerConfig, ports: Ports, scope: CallScope, instanceId: string): Promise<Decision> {
  const recorded = recordingPorts(ports);
  let result: TagInstanceResult;
  try {
    // A fresh memory: this process has made no fixes, so no tag counts as contested here.
    result = await enforceInstanceWith(
      { ...config, dryRun: true },
      recorded.ports,
      scope,
      { history: createTagHistory() },
      instanceId,
      'update',
    );
  } catch (error) {
    const reason = error instanceof MembershipUnknownError ? error.reason : describeError(error);
    return {
      result: undefined,
      member: 'unknown',
      memberReason: reason,
      action: 'unknown',
      actionReason: `the function would fail the invocation and write nothing: ${reason}`,
      expectedTags: 'unknown',
      reads: recorded.reads,
    };
  }
  return { result, ...mapOutcome(result), reads: recorded.reads };
}

type Mapped = Omit<Decision, 'result' | 'reads'>;

function memberOf(result: TagInstanceResult): string {
  const via = result.foundVia === 'hint' ? 'found through its oke-pool-id' : 'found by reading the pools of the searched compartments';
  return `node pool ${result.nodePoolName ?? '?'} (${result.nodePoolId ?? '?'}) lists it among its nodes (${via})`;
}

/** The function's outcome as explain's member / action / expected tags. */
function mapOutcome(result: TagInstanceResult): Mapped {
  const reason = result.reason ?? '';
  const tags = result.tags ?? {};
  switch (result.outcome) {
    case 'unchanged':
    case 'tagged':
      return { member: true, memberReason: memberOf(result), action: 'none', actionReason: 'our keys are right', expectedTags: tags };
    case 'would-tag': {
      const stale = Object.keys(result.previousTags ?? {}).length > 0;
      return {
        member: true,
        memberReason: memberOf(result),
        action: stale ? 'fix' : 'tag',
        actionReason: stale
          ? 'our keys carry stale values: the function would set them'
          : 'our keys are missing: the function would set them',
        expectedTags: tags,
      };
    }
    case 'reported':
      if (result.alert?.msg === 'tag contested') {
        return { member: true, memberReason: memberOf(result), action: 'report', actionReason: reason, expectedTags: tags };
      }
      return {
        member: false,
        memberReason: reason,
        action: 'report',
        actionReason:
          'it carries our keys but is proven a node of no pool; impostor_action=report: the function would report it, not change it',
        expectedTags: {},
      };
    case 'would-remove':
    case 'removed':
      return {
        member: false,
        memberReason: reason,
        action: 'remove',
        actionReason: 'it carries our keys but is proven a node of no pool: the function would remove them',
        expectedTags: {},
      };
    case 'not-in-node-pool':
      return {
        member: false,
        memberReason: reason,
        action: 'none',
        actionReason: 'it is in no pool and carries none of our keys',
        expectedTags: {},
      };
    case 'gone':
      return {
        member: false,
        memberReason: reason,
        action: 'none',
        actionReason: 'the function leaves an instance that is gone alone',
        expectedTags: {},
      };
    case 'not-yet-listed':
      return {
        member: 'unknown',
        memberReason: reason,
        action: 'none',
        actionReason: 'a new node its pool does not list yet: the function waits for a later event or the schedule',
        expectedTags: 'unknown',
      };
  }
}
