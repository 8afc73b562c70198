/**
 * What `doctor` prints: one line per check (its status, what it checked,
 * what was found, and the fix or the read grant it lacked), then a line of
 * counts; or, with --json, one JSON document of the same.
 */
import type { CheckResult, CheckStatus } from '../iam/doctor';
import { painter, type Io } from './common';

const COLOUR = { ok: 'green', warn: 'yellow', fail: 'red', unknown: 'magenta' } as const;
const STATUSES: readonly CheckStatus[] = ['ok', 'warn', 'fail', 'unknown'];

/** How many checks have each status. */
export function countStatuses(checks: readonly CheckResult[]): Record<CheckStatus, number> {
  const counts: Record<CheckStatus, number> = { ok: 0, warn: 0, fail: 0, unknown: 0 };
  for (const result of checks) counts[result.status] += 1;
  return counts;
}

/** One report line. */
export function formatCheck(result: CheckResult, paint: ReturnType<typeof painter> = (_colour, text) => text): string {
  const status = paint(COLOUR[result.status], result.status.padEnd(7));
  const tail =
    result.status === 'unknown' && result.grant !== undefined
      ? ` | needs: ${result.grant}`
      : result.fix === ''
        ? ''
        : ` | fix: ${result.fix}`;
  return `${status} ${result.title}: ${result.found}${tail}`;
}

/** Prints the report as text or JSON. */
export function printDoctorReport(io: Io, checks: readonly CheckResult[], exitCode: number, json: boolean): void {
  const counts = countStatuses(checks);
  if (json) {
    io.out(`${JSON.stringify({ checks, counts, exitCode }, null, 2)}\n`);
    return;
  }
  const paint = painter(io);
  for (const result of checks) io.out(`${formatCheck(result, paint)}\n`);
  io.out(`doctor: ${STATUSES.map((status) => `${counts[status]} ${status}`).join(', ')}\n`);
}
