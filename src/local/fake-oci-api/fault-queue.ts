/** Queued faults with the uses they have left, the bookkeeping every kind of fault shares. */
import { positiveInteger } from './option-checks';

/** The uses of a fault: `times`, or every matching answer until the faults are cleared when `times` is absent. */
export function usesOf(times: number | undefined, name: string): number {
  return times === undefined ? Number.POSITIVE_INFINITY : positiveInteger(times, name);
}

/** Faults in the order they were added; a fault whose uses are spent is dropped. */
export class FaultQueue<Fault> {
  private entries: { fault: Fault; remaining: number }[] = [];

  add(fault: Fault, uses: number): void {
    this.entries.push({ fault, remaining: uses });
  }

  /** Takes one use of the first fault that `matches` accepts. */
  takeFirst(matches: (fault: Fault) => boolean): Fault | undefined {
    const entry = this.entries.find((candidate) => matches(candidate.fault));
    if (entry === undefined) return undefined;
    this.use([entry]);
    return entry.fault;
  }

  /** Takes one use of every fault that `matches` accepts, in the order they were added. */
  takeAll(matches: (fault: Fault) => boolean): Fault[] {
    const due = this.entries.filter((entry) => matches(entry.fault));
    this.use(due);
    return due.map((entry) => entry.fault);
  }

  clear(): void {
    this.entries = [];
  }

  /** How many faults are queued, each counted once whatever its uses. */
  get size(): number {
    return this.entries.length;
  }

  private use(due: readonly { remaining: number }[]): void {
    for (const entry of due) entry.remaining -= 1;
    this.entries = this.entries.filter((entry) => entry.remaining > 0);
  }
}
