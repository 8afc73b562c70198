/**
 * The membership rule, one definition for every event type, for reconcile
 * and for the commands that explain a node's access. An instance is:
 *
 * - a **member** when a pool that is not deleted lists it in its `nodes`;
 * - **not a member** (proof) when every pool that could hold it was read in
 *   full (a `nodes` list whose every entry has an instance OCID) and none
 *   lists it, and it has no `oke-*` metadata or is older than the grace
 *   period. The pools that could hold it are its hinted pool, the pools of
 *   its hinted cluster and the pools of the scanned compartments;
 * - **unknown** otherwise: a read failed, a pool answered 404 (OCI says
 *   NotAuthorizedOrNotFound for a pool it may not show as for one that does
 *   not exist, so a 404 is never proof; a forged oke-pool-id therefore
 *   keeps an instance unknown, which fails the run and fires the alarm),
 *   a pool came without `nodes` or with nodes that have no id, or a new
 *   instance is still inside the grace period.
 *
 * Only a proof removes a tag; unknown is a failure that names the read.
 */
import { forEachConcurrently } from '../concurrency';
import type { Deadline, Sleep } from '../deadline';
import { isOcid } from '../ocid';
import { isNodePoolDeleted } from './lifecycle';
import type { ClusterInfo, InstanceInfo, NodePoolInfo, NodePoolSummaryInfo } from './model';
import type { PoolReads } from './pool-reads';

export { PoolReads } from './pool-reads';

/** The OKE hints in an instance's metadata, validated as strictly as an event's resourceId. */
export interface OkeHints {
  readonly nodePoolId: string | undefined;
  readonly clusterId: string | undefined;
  /** True when any `oke-*` metadata key is present, valid or not. */
  readonly hasOkeMetadata: boolean;
}

/** Reads the OKE hints from instance metadata. Malformed values are dropped, never used. */
export function readOkeHints(metadata: Readonly<Record<string, string>>): OkeHints {
  const pool = metadata['oke-pool-id'];
  const cluster = metadata['oke-cluster-id'];
  return {
    nodePoolId: isOcid(pool, 'nodepool') ? pool : undefined,
    clusterId: isOcid(cluster, 'cluster') ? cluster : undefined,
    hasOkeMetadata: Object.keys(metadata).some((key) => key.startsWith('oke-')),
  };
}

/** True when a pool's answer says everything about who is in it: a `nodes` list, every entry with an instance OCID. */
export function isReadInFull(pool: NodePoolInfo): boolean {
  return pool.nodesMissing !== true && (pool.unidentifiedNodes ?? 0) === 0;
}

/** Membership: a pool that is not deleted lists the instance among its nodes. */
export function listsInstance(pool: NodePoolInfo, instanceId: string): boolean {
  return !isNodePoolDeleted(pool.lifecycleState) && pool.nodeIds.includes(instanceId);
}

/** Why a pool's answer proves nothing, or undefined when it was read in full. */
export function incompleteReason(pool: NodePoolInfo): string | undefined {
  if (pool.nodesMissing === true) return `GetNodePool ${pool.id} answered without a nodes list`;
  const unidentified = pool.unidentifiedNodes ?? 0;
  if (unidentified > 0) return `GetNodePool ${pool.id} lists ${unidentified} node(s) without an instance OCID (nodes still being created)`;
  return undefined;
}

/** Whether an instance is past the grace period in which a new OKE node may not be listed yet. */
export function isPastGrace(instance: InstanceInfo, graceMs: number, now: number): boolean {
  if (!readOkeHints(instance.metadata).hasOkeMetadata || graceMs <= 0) return true;
  const created = instance.timeCreated === undefined ? Number.NaN : Date.parse(instance.timeCreated);
  return Number.isFinite(created) && now - created >= graceMs;
}

export type Membership =
  | { readonly verdict: 'member'; readonly pool: NodePoolInfo; readonly via: 'hint' | 'scan' }
  | { readonly verdict: 'non-member'; readonly reason: string }
  | {
      readonly verdict: 'unknown';
      readonly reason: string;
      /** True when the only doubt is a new node that its existing hinted pool does not list yet. */
      readonly notYetListed: boolean;
    };

/** The answer for one instance, with what the search learnt on the way. */
export type MembershipSearch = Membership & {
  readonly searchedCompartments: readonly string[];
  /** Clusters read during the search, for the cluster tag. */
  readonly clusters: ReadonlyMap<string, ClusterInfo>;
};

export interface MembershipOptions {
  /** Compartments whose pools could hold the instance, besides its hinted cluster's (which is added). */
  readonly compartmentIds: readonly string[];
  /** How long to keep re-checking a hinted pool that does not list the instance yet (launch events only). */
  readonly membershipWaitMs: number;
  readonly graceMs: number;
  /** GetNodePool calls in flight at once during a scan. */
  readonly scanConcurrency: number;
  readonly deadline: Deadline;
  readonly sleep: Sleep;
  /** Time to keep for the work after the search (reading the cluster, writing tags). */
  readonly reserveMs: number;
  readonly now: () => number;
}

/** Re-check delays for a hinted pool that does not list the instance yet. */
export function membershipRecheckDelays(totalMs: number): number[] {
  const delays: number[] = [];
  let spent = 0;
  for (let delay = 250; spent < totalMs; delay = Math.min(delay * 2, 2000)) {
    const next = Math.min(delay, totalMs - spent);
    delays.push(next);
    spent += next;
  }
  return delays;
}

/**
 * Decides whether one instance is a member of a node pool. The hinted pool
 * is read first (and re-checked for up to `membershipWaitMs`, since a new
 * node may be listed late), so a node whose hint is right costs one
 * GetNodePool. Otherwise every pool of the instance's compartment, its
 * hinted cluster's compartment and the given compartments is read,
 * stopping at the first that lists it. Reads go through `reads`, so a
 * reconcile run reads each pool once for all of its instances.
 */
export async function findMembership(instance: InstanceInfo, reads: PoolReads, options: MembershipOptions): Promise<MembershipSearch> {
  return new Search(instance, reads, options).run();
}

interface HintedPool {
  readonly id: string;
  readonly pool: NodePoolInfo | undefined;
  /** It answered 404. */
  readonly missing: boolean;
}

class Search {
  private readonly doubts: string[] = [];
  private readonly clusters = new Map<string, ClusterInfo>();
  private readonly searched: string[] = [];
  private readonly hints: OkeHints;

  constructor(
    private readonly instance: InstanceInfo,
    private readonly reads: PoolReads,
    private readonly options: MembershipOptions,
  ) {
    this.hints = readOkeHints(instance.metadata);
  }

  async run(): Promise<MembershipSearch> {
    const hinted = this.hints.nodePoolId === undefined ? undefined : await this.readHintedPool(this.hints.nodePoolId);
    if (hinted?.pool !== undefined && listsInstance(hinted.pool, this.instance.id)) {
      return this.answer({ verdict: 'member', pool: hinted.pool, via: 'hint' });
    }
    const scanned = await this.scan();
    if (scanned !== undefined) return this.answer({ verdict: 'member', pool: scanned, via: 'scan' });

    if (hinted?.missing === true) {
      // OCI answers 404 both for a pool that does not exist and for one the caller may not read: never proof.
      this.doubts.push(
        this.reads.listed.has(hinted.id)
          ? refusedListedPool(hinted.id)
          : `its oke-pool-id ${hinted.id} answered 404: the pool is missing or may not be read, which proves nothing (grant read cluster-family where the pools are)`,
      );
    }
    if (this.doubts.length > 0)
      return this.answer({ verdict: 'unknown', reason: [...new Set(this.doubts)].join('; '), notYetListed: false });
    const where = `searched compartments ${this.searched.join(', ')}`;
    if (!isPastGrace(this.instance, this.options.graceMs, this.options.now())) {
      const exists = hinted?.pool !== undefined && !isNodePoolDeleted(hinted.pool.lifecycleState);
      const note = exists ? `; its oke-pool-id ${hinted.id} exists but does not list it yet` : '';
      return this.answer({
        verdict: 'unknown',
        reason: `the instance was created less than membership_grace_minutes ago and no node pool lists it${note}; ${where}`,
        notYetListed: exists,
      });
    }
    return this.answer({ verdict: 'non-member', reason: `no node pool lists the instance${this.hintNote(hinted)}; ${where}` });
  }

  /** The hinted pool, re-read within the wait while it exists and does not list the instance yet. */
  private async readHintedPool(id: string): Promise<HintedPool> {
    const delays = membershipRecheckDelays(this.options.membershipWaitMs);
    for (let check = 0; ; check += 1) {
      const read = await this.reads.getNodePool(id, check > 0);
      if (!read.ok) {
        this.doubts.push(read.error);
        return { id, pool: undefined, missing: false };
      }
      const pool = read.value;
      if (pool === undefined) return { id, pool, missing: true };
      if (listsInstance(pool, this.instance.id) || isNodePoolDeleted(pool.lifecycleState)) return { id, pool, missing: false };
      const delay = delays[check];
      if (delay === undefined || this.options.deadline.remainingMs() - delay < this.options.reserveMs) {
        const incomplete = incompleteReason(pool);
        if (incomplete !== undefined) this.doubts.push(incomplete);
        return { id, pool, missing: false };
      }
      await this.options.sleep(delay);
    }
  }

  /** Reads every pool that could hold the instance; the first that lists it, if any. */
  private async scan(): Promise<NodePoolInfo | undefined> {
    const compartments = [...this.options.compartmentIds];
    if (this.hints.clusterId !== undefined) {
      const cluster = await this.reads.getCluster(this.hints.clusterId);
      if (!cluster.ok) this.doubts.push(cluster.error);
      else if (cluster.value === undefined) {
        this.doubts.push(
          `GetCluster ${this.hints.clusterId} answered 404: the hinted cluster is missing or may not be read (grant read cluster-family)`,
        );
      } else {
        this.clusters.set(cluster.value.id, cluster.value);
        compartments.push(cluster.value.compartmentId);
      }
    }
    const seen = new Set<string>();
    for (const compartmentId of new Set(compartments.filter((id) => id !== ''))) {
      this.searched.push(compartmentId);
      const list = await this.reads.listNodePools(compartmentId);
      if (!list.ok) {
        this.doubts.push(list.error);
        continue;
      }
      const fresh = list.value.filter((pool) => !seen.has(pool.id) && !isNodePoolDeleted(pool.lifecycleState));
      for (const pool of fresh) seen.add(pool.id);
      const found = await this.firstListing(this.hintedClusterFirst(fresh));
      if (found) return found;
    }
    return undefined;
  }

  private hintedClusterFirst(pools: readonly NodePoolSummaryInfo[]): NodePoolSummaryInfo[] {
    const cluster = this.hints.clusterId;
    return [...pools].sort((a, b) => Number(b.clusterId === cluster) - Number(a.clusterId === cluster));
  }

  /** GetNodePool over `pools`, a few at a time, until one lists the instance; every doubt is kept. */
  private async firstListing(pools: readonly NodePoolSummaryInfo[]): Promise<NodePoolInfo | undefined> {
    let found: NodePoolInfo | undefined;
    await forEachConcurrently(
      pools,
      this.options.scanConcurrency,
      async (summary) => {
        const read = await this.reads.getNodePool(summary.id);
        if (!read.ok) this.doubts.push(read.error);
        else if (read.value === undefined) this.doubts.push(refusedListedPool(summary.id));
        else if (listsInstance(read.value, this.instance.id)) found ??= read.value;
        else {
          const incomplete = incompleteReason(read.value);
          if (incomplete !== undefined) this.doubts.push(incomplete);
        }
      },
      { stop: () => found !== undefined },
    );
    return found;
  }

  private hintNote(hinted: HintedPool | undefined): string {
    if (hinted === undefined) return this.hints.hasOkeMetadata ? '' : ' (it has no OKE metadata)';
    if (hinted.pool !== undefined && isNodePoolDeleted(hinted.pool.lifecycleState)) return `; its oke-pool-id ${hinted.id} is DELETED`;
    return `; its oke-pool-id ${hinted.id} does not list it`;
  }

  private answer(membership: Membership): MembershipSearch {
    return { ...membership, searchedCompartments: [...this.searched], clusters: this.clusters };
  }
}

function refusedListedPool(nodePoolId: string): string {
  return `GetNodePool ${nodePoolId} answered 404 although ListNodePools lists it: the pool may not be read (grant read cluster-family)`;
}
