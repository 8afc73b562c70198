/**
 * What `reconcile` prints: each planned action as it is decided (a table
 * row with fixed column widths, or a JSON line), a progress line on stderr
 * when stderr is a terminal, and the closing summary.
 */
import type { CallStats } from '../call-scope';
import { RECONCILE_ACTIONS, type PlannedAction, type ReconcileAction } from '../tagging/plan';
import type { ReconcileProgress, ReconcileSummary } from '../tagging/reconcile';
import { painter, tableRow, type Io, type StopSignal } from './common';

/** Column widths of the streamed table; the rows are printed before the widest cell is known. */
const WIDTHS = [6, 32, 20, 30, 30] as const;

const COLOUR = { tag: 'green', fix: 'yellow', prune: 'red', ok: 'grey', unknown: 'magenta' } as const;

export interface ReconcileOutputSettings {
  readonly json: boolean;
  /** List ok actions too. */
  readonly all: boolean;
  readonly apply: boolean;
}

/** The run's totals as printed: the summary plus what the calls cost. */
export type ReconcileTotals = ReconcileSummary & CallStats & { readonly durationMs: number; readonly dryRun: boolean };

/** Why a run that did not finish stopped. */
export type StopCause = { readonly timeoutSeconds: number } | { readonly signal: StopSignal };

function formatValues(values: Readonly<Record<string, unknown>>): string {
  const entries = Object.entries(values);
  return entries.length === 0 ? '-' : entries.map(([key, value]) => `${key}=${String(value)}`).join(' ');
}

/** Prints a run's actions and progress as they come, then its summary. */
export class ReconcileOutput {
  private readonly paint: ReturnType<typeof painter>;
  private readonly showProgress: boolean;
  private progressLine = '';
  private headerShown = false;
  /** What was decided so far, for a run that must end before its summary. */
  readonly seen: Record<ReconcileAction, number> = { tag: 0, fix: 0, prune: 0, ok: 0, unknown: 0 };
  /** The token a stop after the last finished batch gives. */
  lastResume: string | undefined;

  constructor(
    private readonly io: Io,
    private readonly settings: ReconcileOutputSettings,
  ) {
    this.paint = painter(io);
    this.showProgress = io.errIsTty === true;
  }

  action(action: PlannedAction): void {
    this.seen[action.action] += 1;
    if (this.settings.json) return this.above(`${JSON.stringify(action)}\n`);
    if (action.action === 'ok' && !this.settings.all) return;
    const header = this.headerShown
      ? ''
      : `${this.row(['action', 'instance', 'node pool', 'from', 'to', this.settings.apply ? 'applied' : 'dry run'])}\n`;
    this.headerShown = true;
    const failed = action.error !== undefined ? this.paint('red', `failed: ${action.error}`) : undefined;
    const cells = [
      this.paint(COLOUR[action.action], action.action),
      action.instanceName ?? action.instanceId,
      action.nodePoolName ?? '-',
      formatValues(action.from),
      action.action === 'prune' ? '(remove)' : formatValues(action.to),
      failed ?? (action.action === 'unknown' ? this.paint('magenta', action.reason ?? 'unknown') : action.applied ? 'yes' : 'no'),
    ];
    this.above(`${header}${this.row(cells)}\n`);
  }

  progress(progress: ReconcileProgress, apiCalls: number): void {
    this.lastResume = progress.resume;
    if (!this.showProgress) return;
    const stage = progress.stage === 'pools' ? 'node pools' : 'prune candidates';
    this.progressLine = `${stage} ${progress.done}/${progress.total} · ${apiCalls} API calls`;
    this.io.err(`\r${this.progressLine}`);
  }

  /** Clears the progress line for good. */
  endProgress(): void {
    if (this.showProgress && this.progressLine !== '') this.io.err('\r\u001b[K');
    this.progressLine = '';
  }

  /** A stderr note that does not run into the progress line. */
  note(text: string): void {
    this.aroundProgress(() => this.io.err(text));
  }

  /** The summary of a run that returned. `stopped` says why when it is not complete. */
  summary(totals: ReconcileTotals, stopped: StopCause): void {
    this.endProgress();
    const { io, paint } = this;
    if (this.settings.json) return io.out(`${JSON.stringify({ summary: true, ...totals, ...stopFields(stopped, totals.complete) })}\n`);
    if (this.headerShown) io.out('\n');
    const { counts } = totals;
    io.out(`${RECONCILE_ACTIONS.map((action) => `${action} ${counts[action]}`).join(', ')}`);
    io.out(
      ` | ${totals.pools} node pools, ${totals.instances} instances, ${totals.apiCalls} API calls (${totals.retries} retries, ${totals.etagConflicts} 412 re-reads), ${totals.durationMs} ms\n`,
    );
    if (totals.unseenNodes > 0)
      io.out(`${totals.unseenNodes} node(s) of these pools live in compartments not scanned; add them with --compartment\n`);
    if (totals.dryRun && counts.tag + counts.fix + counts.prune > 0)
      io.out(
        `dry run: ${counts.tag + counts.fix} to tag or fix, ${counts.prune} to prune; run with --apply${counts.prune > 0 ? ' (and --prune)' : ''} to change them\n`,
      );
    for (const failure of totals.failures ?? []) io.out(paint('red', `failed: ${failure.error}\n`));
    if (totals.failed > 0) io.out(paint('red', `${totals.failed} pool(s) or instance(s) failed\n`));
    for (const warning of totals.warnings ?? []) io.out(paint('yellow', `warning: ${warning}\n`));
    if (totals.unknown > 0)
      io.out(paint('magenta', `${totals.unknown} unknown: membership could not be decided, so nothing was pruned there\n`));
    if (!totals.complete) io.out(paint('yellow', carryOn(stopped, totals.resume)));
  }

  /** The summary of a run ended at once: what was decided so far and the token of the last finished batch. */
  interruptedSummary(signal: StopSignal, stats: CallStats, durationMs: number): void {
    this.endProgress();
    const { io } = this;
    const stopped = { signal };
    if (this.settings.json) {
      const partial = { counts: this.seen, ...stats, durationMs, complete: false, ...(this.lastResume ? { resume: this.lastResume } : {}) };
      return io.out(`${JSON.stringify({ summary: true, ...partial, ...stopFields(stopped, false) })}\n`);
    }
    if (this.headerShown) io.out('\n');
    io.out(
      `${RECONCILE_ACTIONS.map((action) => `${action} ${this.seen[action]}`).join(', ')} so far | ${stats.apiCalls} API calls, ${durationMs} ms\n`,
    );
    io.out(this.paint('yellow', carryOn(stopped, this.lastResume)));
  }

  private row(cells: readonly string[]): string {
    return tableRow(cells, WIDTHS);
  }

  /** Writes to stdout without running into the progress line when both are the same terminal. */
  private above(text: string): void {
    this.aroundProgress(() => this.io.out(text));
  }

  /** Clears the progress line, writes, and draws it again. */
  private aroundProgress(write: () => void): void {
    const shown = this.showProgress && this.progressLine !== '';
    if (shown) this.io.err('\r\u001b[K');
    write();
    if (shown) this.io.err(`\r${this.progressLine}`);
  }
}

function stopFields(stopped: StopCause, complete: boolean): Record<string, string> {
  return !complete && 'signal' in stopped ? { stoppedBy: stopped.signal } : {};
}

function carryOn(stopped: StopCause, resume: string | undefined): string {
  const why = 'signal' in stopped ? `stopped by ${stopped.signal}` : `stopped at the time limit (--timeout ${stopped.timeoutSeconds})`;
  if (resume === undefined) return `${why} before any node pool was finished; run the same command again to start over\n`;
  return `${why} before the run was complete; carry on with the same flags plus:\n  --resume ${resume}\n`;
}
