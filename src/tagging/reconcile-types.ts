/** What a reconcile run is asked (its options) and what it answers (its summary). */
import type { Deadline } from '../deadline';
import type { PlannedAction, ReconcileAction } from './plan';
import type { ReconcileStage } from './resume-token';
import type { TagKeys } from './tags';

export interface ReconcileProgress {
  readonly stage: ReconcileStage;
  readonly done: number;
  readonly total: number;
  /** Where a later run would carry on if this one ended now: the token a stop after this batch would give. */
  readonly resume: string;
}

export interface ReconcileOptions {
  /** Where the node pools are listed. */
  readonly poolCompartmentIds: readonly string[];
  /** Where the instances are listed. */
  readonly instanceCompartmentIds: readonly string[];
  /** Narrow the run to these clusters' node pools. */
  readonly clusterIds?: readonly string[];
  readonly keys: TagKeys;
  readonly apply: boolean;
  readonly prune: boolean;
  /** Calls in flight at once for GetNodePool and for writes. */
  readonly concurrency: number;
  /** How long a new OKE-looking instance is never proven a non-member. */
  readonly graceMs: number;
  readonly deadline: Deadline;
  /** Time kept back before the deadline to answer; the run stops cleanly before it. */
  readonly reserveMs: number;
  readonly now: () => number;
  readonly resume?: string | undefined;
  /** Checked where the deadline is: once true, the run starts no more work and stops as the deadline would stop it. */
  readonly stopRequested?: () => boolean;
  /** Start a fresh run at a rotating offset, so that runs cut short by their deadline still cover every pool over a cycle of R runs. */
  readonly rotation?: { readonly runsPerCycle: number } | undefined;
  readonly onAction?: (action: PlannedAction) => void;
  readonly onProgress?: (progress: ReconcileProgress) => void;
}

export interface ReconcileSummary {
  readonly counts: Readonly<Record<ReconcileAction, number>>;
  readonly applied: number;
  readonly failed: number;
  /** Instances whose membership could not be decided, plus scope problems (no pool found, a cluster that matched nothing). */
  readonly unknown: number;
  /** Nodes of scanned pools whose instances are not in the scanned compartments. */
  readonly unseenNodes: number;
  /** The first failures (pools or instances that could not be handled), with the error naming what failed. */
  readonly failures?: readonly { readonly resourceId: string; readonly error: string }[];
  /** What looks like the wrong scope, or a pool that proves nothing. */
  readonly warnings?: readonly string[];
  readonly pools: number;
  readonly instances: number;
  /** False when the deadline (or a stop request) stopped the run; `resume` then continues it. */
  readonly complete: boolean;
  /** Complete, with no unknown and no failure: every instance in scope is as it should be, or was made so. */
  readonly verified: boolean;
  readonly resume?: string;
}
