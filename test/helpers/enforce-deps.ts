/** The dependencies of `enforceInstance` over an in-memory cloud, as the unit tests use them. */
import { Deadline } from '../../src/deadline';
import type { EnforceInstanceDeps } from '../../src/tagging/enforce-instance';
import { createTagHistory } from '../../src/tagging/tag-history';
import type { MemoryCloud } from './memory-ports';

/** Deps with a 30-minute grace, a 1 s membership wait and the given clock; `sleeps` records every wait. */
export function enforceDeps(
  cloud: MemoryCloud,
  now: number,
  overrides: Partial<EnforceInstanceDeps> = {},
): { deps: EnforceInstanceDeps; sleeps: number[] } {
  const sleeps: number[] = [];
  const deps: EnforceInstanceDeps = {
    compute: cloud.compute,
    containerEngine: cloud.containerEngine,
    keys: { tagNamespace: 'oke-nodepool-tags', tagName: 'oke-nodepool-name' },
    dryRun: false,
    extraCompartmentIds: [],
    membershipWaitMs: 1000,
    graceMs: 30 * 60_000,
    impostorAction: 'remove',
    history: createTagHistory(),
    deadline: Deadline.inSeconds(30),
    sleep: async (ms) => void sleeps.push(ms),
    now: () => now,
    ...overrides,
  };
  return { deps, sleeps };
}
