/**
 * The values of `doctor`: what one run read (the facts, each part either
 * read or kept as the read that failed), what each check answers, and the
 * mapping from answers to the exit code. The checks are pure functions from
 * {@link DoctorFacts} to {@link CheckResult}s, so each is tested over data.
 */
import type { ReconcileSummary } from '../tagging/reconcile';
import type { EventRuleInfo, FunctionInfo, ScheduleInfo, TagKeyInfo, TagNamespaceInfo } from './access-model';
import type { PoolFact } from './model';
import type { TenancyIam, UnreadPart } from './tenancy-iam';

export type CheckStatus = 'ok' | 'warn' | 'fail' | 'unknown';

/** One line of the report: what was checked, what was found, how to fix it and, when unknown, the read grant that was missing. */
export interface CheckResult {
  readonly id: string;
  readonly title: string;
  readonly status: CheckStatus;
  readonly found: string;
  /** What to do; empty when nothing needs doing. */
  readonly fix: string;
  /** For `unknown`: the read grant the reader lacks. */
  readonly grant?: string;
}

/** A part of the facts: its value, or the read that failed. */
export type Read<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly unread: UnreadPart };

/** What the deployment is checked against: the target flags and `--function-id`. */
export interface DoctorSettings {
  readonly tagNamespace: string;
  readonly tagName: string;
  readonly clusterTagName: string | undefined;
  /** `--compartment`: where the node pools are listed. */
  readonly compartmentIds: readonly string[];
  readonly functionId: string;
  /** Where schedules are listed; by default the function's compartment and the compartments named. */
  readonly scheduleCompartmentIds?: readonly string[] | undefined;
}

/** A node pool as doctor sees it: discovery's facts plus the live instances behind its nodes. */
export interface DoctorPool extends PoolFact {
  readonly nodes: readonly { readonly id: string; readonly compartmentId: string }[];
}

/** The tag namespace (when found by name) and its keys. */
export interface TagFacts {
  readonly namespace: TagNamespaceInfo | undefined;
  /** The namespace's keys; empty when the namespace was not found. */
  readonly keys: Read<readonly TagKeyInfo[]>;
}

/** Lists read per compartment: what was read, and the reads that failed. */
export interface ListedFacts<T> {
  readonly items: readonly T[];
  readonly unread: readonly UnreadPart[];
}

/** Everything one doctor run read, once. */
export interface DoctorFacts {
  readonly settings: DoctorSettings;
  readonly iam: TenancyIam;
  readonly tags: Read<TagFacts>;
  /** The function; `undefined` when GetFunction answered 404. */
  readonly fn: Read<FunctionInfo | undefined>;
  readonly pools: Read<readonly DoctorPool[]>;
  /** The Events rules (with their actions) of the watched compartments and their ancestors. */
  readonly rules: ListedFacts<EventRuleInfo>;
  /** The compartments whose rules were listed. */
  readonly ruleCompartmentIds: readonly string[];
  readonly schedules: ListedFacts<ScheduleInfo>;
  readonly scheduleCompartmentIds: readonly string[];
  /** The reconcile dry run over the pools and their instances. */
  readonly nodes: Read<ReconcileSummary>;
}

/** How a failed reconcile dry run is named when its error names no OCI operation. */
export const RECONCILE_DRY_RUN = 'reconcile dry run';

/** The read grant each operation needs, after Oracle's policy reference pages (see the README section on `doctor`). */
const READ_GRANTS: Readonly<Record<string, { readonly grant: string; readonly scoped: boolean }>> = {
  ListCompartments: { grant: 'inspect compartments', scoped: false },
  ListDynamicGroups: { grant: 'inspect dynamic-groups', scoped: false },
  ListDynamicResourceGroups: { grant: "read access to the identity domain's dynamic resource groups", scoped: false },
  ListPolicies: { grant: 'inspect policies', scoped: false },
  ListTagNamespaces: { grant: 'inspect tag-namespaces', scoped: false },
  ListTags: { grant: 'inspect tag-namespaces', scoped: false },
  GetFunction: { grant: 'read fn-function', scoped: false },
  ListRules: { grant: 'inspect cloudevents-rules', scoped: true },
  GetRule: { grant: 'read cloudevents-rules', scoped: false },
  ListSchedules: { grant: 'inspect resource-schedule', scoped: true },
  ListNodePools: { grant: 'read cluster-family', scoped: true },
  GetNodePool: { grant: 'read cluster-family', scoped: false },
  GetCluster: { grant: 'read cluster-family', scoped: false },
  ListInstances: { grant: 'read instances', scoped: true },
  GetInstance: { grant: 'read instances', scoped: false },
  [RECONCILE_DRY_RUN]: { grant: 'read cluster-family and read instances', scoped: true },
};

/** The read grant a failed operation needed, in the compartment it read when that is known. */
export function readGrantFor(part: UnreadPart): string {
  const known = READ_GRANTS[part.operation];
  if (known === undefined) return `the read behind ${part.operation}`;
  const where = !known.scoped
    ? 'tenancy'
    : part.resourceId.startsWith('ocid1.compartment.')
      ? `compartment id ${part.resourceId}`
      : 'tenancy';
  return `${known.grant} in ${where}`;
}

/** The check that could not look, naming the read that failed and the grant it needs. */
export function unknownCheck(id: string, title: string, parts: readonly UnreadPart[], what = 'could not read'): CheckResult {
  const grants = [...new Set(parts.map(readGrantFor))];
  const reads = parts.map((part) => `${part.operation} ${part.resourceId}`);
  const shown = reads.length > 3 ? [...reads.slice(0, 3), `${reads.length - 3} more`] : reads;
  return {
    id,
    title,
    status: 'unknown',
    found: `${what}: ${shown.join(', ')} (${parts[0]?.reason ?? 'no reason given'})`,
    fix: `grant the reader ${grants.join('; ')}`,
    grant: grants.join('; '),
  };
}

/** A check result without `grant`. */
export function check(id: string, title: string, status: CheckStatus, found: string, fix = ''): CheckResult {
  return { id, title, status, found, fix };
}

/** doctor's exit codes: 3 when any check fails, otherwise 1 when any is unknown, otherwise 0 (warnings included). */
export const DOCTOR_EXIT = Object.freeze({ ok: 0, unknown: 1, fail: 3 });

/** The exit code for a set of results. */
export function doctorExitCode(results: readonly CheckResult[]): number {
  if (results.some((result) => result.status === 'fail')) return DOCTOR_EXIT.fail;
  if (results.some((result) => result.status === 'unknown')) return DOCTOR_EXIT.unknown;
  return DOCTOR_EXIT.ok;
}

/** The instance and pool compartments doctor watches: the pools' (as `iam` plans them), or the scope when no pool was read. */
export interface WatchedCompartments {
  readonly instanceCompartmentIds: readonly string[];
  readonly poolCompartmentIds: readonly string[];
}
