/**
 * doctor's node check: the counts of a reconcile dry run under reconcile's
 * own names (`tag`, `fix`, `prune`, and unknown). Nodes out of sync are a
 * warning: the scheduled reconcile heals them, or `reconcile --apply` does
 * now. A run that could not read what it needed is unknown.
 */
import type { ReconcileSummary } from '../tagging/reconcile';
import { check, unknownCheck, type CheckResult, type DoctorFacts } from './doctor-model';

const ID = 'nodes';
const TITLE = 'the nodes (reconcile dry run)';

/** The counts as one line, in reconcile's words. */
export function describeCounts(summary: ReconcileSummary): string {
  const { counts } = summary;
  return `tag ${counts.tag}, fix ${counts.fix}, prune ${counts.prune}, unknown ${summary.unknown} (ok ${counts.ok}; ${summary.instances} instance(s), ${summary.pools} pool(s))`;
}

/** The node check. */
export function checkNodes(facts: DoctorFacts): CheckResult[] {
  const read = facts.nodes;
  if (!read.ok) return [unknownCheck(ID, TITLE, [read.unread], 'the dry run could not read')];
  const summary = read.value;
  const counts = describeCounts(summary);
  const scope = facts.settings.compartmentIds.map((id) => `--compartment ${id}`).join(' ');
  if (summary.failed > 0 || !summary.complete) {
    const first = summary.failures?.[0];
    const grant = 'read cluster-family and read instances in the compartments';
    const failed = `${summary.failed} read(s) failed${first === undefined ? '' : `, first ${first.resourceId}: ${first.error}`}`;
    return [
      {
        id: ID,
        title: TITLE,
        status: 'unknown',
        found: `${counts}; ${summary.complete ? failed : 'the run did not finish'}`,
        fix: `grant the reader ${grant}`,
        grant,
      },
    ];
  }
  const outOfSync = summary.counts.tag + summary.counts.fix + summary.counts.prune;
  if (summary.unknown > 0)
    return [
      check(
        ID,
        TITLE,
        'warn',
        `${counts}: the membership of some instances could not be decided`,
        `see oke-nodepool-tagger reconcile ${scope}`,
      ),
    ];
  if (outOfSync > 0)
    return [
      check(
        ID,
        TITLE,
        'warn',
        `${counts}: out of sync`,
        `oke-nodepool-tagger reconcile ${scope} --apply --prune (or wait for the schedule)`,
      ),
    ];
  return [check(ID, TITLE, 'ok', counts)];
}
