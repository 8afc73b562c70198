/**
 * What `snapshot` reads beyond clusters, pools and instances, so that
 * `explain` and `doctor` reproduce offline: the tenancy's compartments,
 * dynamic groups, policies and tag catalogue, the Events rules and schedules
 * of the named compartments and of their ancestors (a rule applies to the
 * compartments below it), and the function named with `--function-id`, its
 * config values scrubbed except our own keys.
 */
import type { CallScope } from '../call-scope';
import type { World } from '../local/world-types';
import { snapshotIdentity } from '../oci/snapshot-identity';
import { snapshotOperations, taggerConfigKeys } from '../oci/snapshot-operations';
import { createAccessPorts, type AccessTargetOptions } from './access-target';
import type { Target } from './target';

/** The world keys `snapshot` adds for `explain` and `doctor`. */
export type AccessSnapshot = Required<
  Pick<World, 'tenancyId' | 'compartments' | 'dynamicGroups' | 'policies' | 'rules' | 'functions' | 'schedules'>
> &
  Pick<World, 'tagNamespaces'>;

/** The named compartments, their ancestors up to the tenancy, and the tenancy, each once. */
export function compartmentsAndAncestors(
  compartmentIds: readonly string[],
  compartments: readonly { id: string; compartmentId: string }[],
  tenancyId: string,
): string[] {
  const parentOf = new Map(compartments.map((compartment) => [compartment.id, compartment.compartmentId]));
  const found = new Set<string>();
  for (const start of compartmentIds) {
    let current: string | undefined = start;
    while (current !== undefined && !found.has(current)) {
      found.add(current);
      current = current === tenancyId ? undefined : parentOf.get(current);
    }
  }
  found.add(tenancyId);
  return [...found];
}

/** Reads the access parts of a world. Any read that fails fails the snapshot (a world missing them would replay as "no grant"). */
export async function snapshotAccess(
  target: Target,
  scope: CallScope,
  options: AccessTargetOptions & {
    compartmentIds: readonly string[];
    functionId: string | undefined;
    onProgress: (message: string) => void;
  },
): Promise<AccessSnapshot> {
  const ports = await createAccessPorts(target, scope, { ...options, identityDomainUrls: [] });
  options.onProgress('reading compartments, dynamic groups, policies and the tag catalogue');
  const identity = await snapshotIdentity(ports.identity, ports.tenancyId);
  const operationCompartments = compartmentsAndAncestors(options.compartmentIds, identity.compartments, ports.tenancyId);
  options.onProgress(`reading Events rules and schedules of ${operationCompartments.length} compartment(s)`);
  const operations = await snapshotOperations(ports, {
    compartmentIds: operationCompartments,
    functionId: options.functionId,
    ourConfigKeys: taggerConfigKeys(),
  });
  return { ...identity, ...operations };
}
