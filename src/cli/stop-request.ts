/**
 * How a long command answers SIGINT and SIGTERM: the first signal asks it
 * to start nothing new and let the calls in flight finish; a second signal,
 * or the grace period running out, ends it at once.
 */
import type { Io, StopSignal } from './common';

/** A command's view of the stop signals, from {@link listenForStop}. */
export interface StopRequest {
  /** True once a signal has asked the command to stop. */
  readonly requested: () => boolean;
  /** The first signal, once one has arrived. */
  readonly signal: () => StopSignal | undefined;
  /** Settles with the signal when the command must end without waiting any longer. */
  readonly immediate: Promise<StopSignal>;
  /** Stops listening; the process defaults apply again. */
  dispose(): void;
}

/**
 * Listens for stop signals through `io` for the command's lifetime.
 * `onFirst` runs on the first signal, to tell the user what happens next.
 */
export function listenForStop(io: Io, graceMs: number, onFirst: (signal: StopSignal) => void): StopRequest {
  let first: StopSignal | undefined;
  let timer: NodeJS.Timeout | undefined;
  let endNow: (signal: StopSignal) => void = () => {};
  const immediate = new Promise<StopSignal>((resolve) => (endNow = resolve));
  const unsubscribe =
    io.onStopSignal?.((signal) => {
      if (first !== undefined) return endNow(first);
      first = signal;
      onFirst(signal);
      timer = setTimeout(() => endNow(signal), graceMs);
    }) ?? (() => {});
  return {
    requested: () => first !== undefined,
    signal: () => first,
    immediate,
    dispose: () => {
      clearTimeout(timer);
      unsubscribe();
    },
  };
}
