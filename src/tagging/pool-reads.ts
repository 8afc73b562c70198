/**
 * The Container Engine reads of one membership decision or one reconcile
 * run, each made once and remembered with its outcome, failures included.
 */
import { DeadlineError } from '../errors';
import type { ClusterInfo, ContainerEnginePort, NodePoolInfo, NodePoolSummaryInfo } from './model';

/** A read's answer: its value, or why it could not be had. */
export type ReadResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

/**
 * The Container Engine reads one membership decision (or one reconcile run)
 * makes, each made once and remembered with its outcome, failures included.
 * A failed read becomes a reason for doubt rather than an exception, since
 * another pool may still prove membership; a {@link DeadlineError} is
 * rethrown, so that a run stops where the deadline stopped it.
 */
export class PoolReads {
  private readonly lists = new Map<string, Promise<ReadResult<readonly NodePoolSummaryInfo[]>>>();
  private readonly pools = new Map<string, Promise<ReadResult<NodePoolInfo | undefined>>>();
  private readonly clusterReads = new Map<string, Promise<ReadResult<ClusterInfo | undefined>>>();
  /** Every pool OCID a successful ListNodePools showed. */
  readonly listed = new Set<string>();

  constructor(private readonly containerEngine: ContainerEnginePort) {}

  listNodePools(compartmentId: string, clusterId?: string): Promise<ReadResult<readonly NodePoolSummaryInfo[]>> {
    const key = `${compartmentId}/${clusterId ?? ''}`;
    let read = this.lists.get(key);
    if (read === undefined) {
      read = settle(() => this.containerEngine.listNodePools(compartmentId, clusterId)).then((result) => {
        if (result.ok) for (const pool of result.value) this.listed.add(pool.id);
        return result;
      });
      this.lists.set(key, read);
    }
    return read;
  }

  /** The remembered answer for a pool, or a fresh read; `fresh` forces a new read (a re-check). */
  getNodePool(nodePoolId: string, fresh = false): Promise<ReadResult<NodePoolInfo | undefined>> {
    let read = fresh ? undefined : this.pools.get(nodePoolId);
    if (read === undefined) {
      read = settle(() => this.containerEngine.getNodePool(nodePoolId));
      this.pools.set(nodePoolId, read);
    }
    return read;
  }

  getCluster(clusterId: string): Promise<ReadResult<ClusterInfo | undefined>> {
    let read = this.clusterReads.get(clusterId);
    if (read === undefined) {
      read = settle(() => this.containerEngine.getCluster(clusterId));
      this.clusterReads.set(clusterId, read);
    }
    return read;
  }
}

async function settle<T>(call: () => Promise<T>): Promise<ReadResult<T>> {
  try {
    return { ok: true, value: await call() };
  } catch (error) {
    if (error instanceof DeadlineError) throw error;
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}
