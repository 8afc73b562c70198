/**
 * The healthy doctor world with the web pool's dynamic group moved to the
 * Prod identity domain, whose statements name it `'Prod'/'oke-pool-web'`.
 */
import type { CheckResult } from '../../src/iam/doctor-model';
import { MemoryAccessCloud } from './memory-access-ports';
import { healthyWorld, runDoctorOver } from './doctor-world';

const WEB_GROUP = 'oke-pool-web';

export interface DomainCase {
  /** Whether doctor reads the Prod domain (as with --identity-domain-url). */
  readonly readProd: boolean;
  /** Leave the group out of the Prod domain too. */
  readonly dropProdGroup?: boolean;
}

/** Doctor's checks over the world of `domainCase`. */
export async function checksAfter(domainCase: DomainCase): Promise<readonly CheckResult[]> {
  const world = healthyWorld();
  const web = world.dynamicGroups.find((group) => group.name === WEB_GROUP);
  if (web === undefined) throw new Error('the healthy doctor world lost its web pool group');
  world.dynamicGroups = world.dynamicGroups.filter((group) => group !== web);
  world.policies.push({
    id: 'ocid1.policy.oc1..aaaaaaaaprodwebreaders',
    name: 'prod-web-readers',
    compartmentId: world.tenancyId,
    statements: [`Allow dynamic-group 'Prod'/'${WEB_GROUP}' to read objects in tenancy`],
    lifecycleState: 'ACTIVE',
  });
  if (domainCase.readProd)
    world.domains.push({ domain: 'Prod', dynamicGroups: domainCase.dropProdGroup === true ? [] : [{ ...web, domain: 'Prod' }] });
  return (await runDoctorOver(new MemoryAccessCloud(world))).checks;
}

export const ids = {
  webPool: healthyWorld().pools.find((pool) => pool.name === 'web')?.id ?? '',
};
