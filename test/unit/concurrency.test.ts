import { createLimiter, forEachConcurrently } from '../../src/concurrency';

/** A task that resolves when told to, so a test controls the order in which work finishes. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open = () => {};
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('forEachConcurrently', () => {
  it('never has more than the given number of items in flight and visits each once', async () => {
    // Prepare
    let inFlight = 0;
    let peak = 0;
    const seen: number[] = [];
    // Act
    await forEachConcurrently([...Array(20).keys()], 3, async (item) => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await tick();
      seen.push(item);
      inFlight -= 1;
    });
    // Assess
    expect(peak).toBe(3);
    expect([...seen].sort((a, b) => a - b)).toEqual([...Array(20).keys()]);
  });

  it('starts no new item after a failure, waits for those in flight, then rethrows the first failure', async () => {
    // Prepare
    const slow = gate();
    const started: number[] = [];
    let slowFinished = false;
    // Act
    const run = forEachConcurrently([0, 1, 2, 3, 4], 2, async (item) => {
      started.push(item);
      if (item === 0) {
        await slow.promise;
        slowFinished = true;
      }
      if (item === 1) throw new Error('item 1 failed');
    });
    await tick();
    let settled = false;
    void run.catch(() => (settled = true));
    await tick();
    // Assess: the failure is held back until the slow item finishes.
    expect(settled).toBe(false);
    slow.open();
    await expect(run).rejects.toThrow('item 1 failed');
    expect(slowFinished).toBe(true);
    expect(started).toEqual([0, 1]);
  });

  it('starts nothing further once stop() says so', async () => {
    // Prepare
    const started: number[] = [];
    // Act
    await forEachConcurrently([0, 1, 2, 3], 1, async (item) => void started.push(item), { stop: () => started.length >= 2 });
    // Assess
    expect(started).toEqual([0, 1]);
  });

  it('handles an empty list', async () => {
    await expect(forEachConcurrently([], 4, async () => {})).resolves.toBeUndefined();
  });
});

describe('createLimiter', () => {
  it('runs at most `slots` tasks at once, across callers, in the order they asked', async () => {
    // Prepare
    const limit = createLimiter(2);
    const gates = [gate(), gate(), gate()];
    const order: number[] = [];
    // Act
    const runs = gates.map((g, index) =>
      limit(async () => {
        order.push(index);
        await g.promise;
        return index;
      }),
    );
    await tick();
    // Assess
    expect(order).toEqual([0, 1]);
    gates[1]?.open();
    await tick();
    await tick();
    expect(order).toEqual([0, 1, 2]);
    gates[0]?.open();
    gates[2]?.open();
    await expect(Promise.all(runs)).resolves.toEqual([0, 1, 2]);
  });

  it('frees a slot when a task fails', async () => {
    const limit = createLimiter(1);
    await expect(limit(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(limit(async () => 'next')).resolves.toBe('next');
  });
});
