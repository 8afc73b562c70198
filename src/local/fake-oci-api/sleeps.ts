/** Waits that the server cuts short when it stops, so `stop()` never waits for a scripted delay. */
export class CancellableSleeps {
  private readonly sleepers = new Set<() => void>();
  private cancelled = false;

  /** Resolves true after `ms`, or false at once if {@link cancelAll} is called meanwhile or was called before. */
  sleep(ms: number): Promise<boolean> {
    if (this.cancelled) return Promise.resolve(false);
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.sleepers.delete(wake);
        resolve(false);
      };
      const timer = setTimeout(() => {
        this.sleepers.delete(wake);
        resolve(true);
      }, ms);
      this.sleepers.add(wake);
    });
  }

  /** Ends every pending sleep and every later one. */
  cancelAll(): void {
    this.cancelled = true;
    for (const wake of [...this.sleepers]) wake();
  }
}
