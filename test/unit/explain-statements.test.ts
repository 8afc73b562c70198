/**
 * Which statements `explain` lists beyond those naming a matched group: the
 * any-user and any-group statements that may reach the node's instance
 * principal, the statements that do not parse but could concern it, and the
 * statements naming dynamic groups that were not read (another identity
 * domain, an OCID no domain read holds).
 */
import type { ExplainedStatement, ExplainResult } from '../../src/iam/explain';
import { explain, group, policy, storage, world } from '../helpers/explain-world';
import { MemoryAccessCloud, notAuthorized, type MemoryAccessWorld } from '../helpers/memory-access-ports';

const NOT_EVALUATED = 'may apply; condition not evaluated';
const DOMAIN_NOT_READ = "may apply; the group's domain was not read";

/** The explain world with one more policy, in `storage`, holding `statements`. */
function worldWith(statements: string[], options: { domains?: boolean } = {}): MemoryAccessWorld {
  const tenancyWorld = world(options);
  tenancyWorld.policies.push({ id: policy('extra'), name: 'extra', compartmentId: storage, statements });
  return tenancyWorld;
}

const extra = (result: ExplainResult): ExplainedStatement[] => result.statements.filter((found) => found.policyName === 'extra');

describe('explainInstance: any-user and any-group statements', () => {
  it.each([
    "Allow any-user to read buckets in tenancy where target.bucket.name = 'public'",
    `Allow any-group to manage objects in tenancy where request.groups.id = '${group('poola')}'`,
    "Allow any-user to read objects in tenancy where any {request.principal.type = 'user', target.bucket.name = 'logs'}",
    'Allow any-user to read objects in tenancy where request.operation = /Get*/',
  ])('lists %j as "may apply; condition not evaluated", whatever variables its condition uses', async (statement) => {
    // Prepare
    const cloud = new MemoryAccessCloud(worldWith([statement]));
    // Act
    const result = await explain(cloud, 'member');
    // Assess
    expect(extra(result)).toEqual([
      expect.objectContaining({ statement, basis: 'any-principal', dynamicGroup: null, dynamicGroupId: null, note: NOT_EVALUATED }),
    ]);
    expect(result.complete).toBe(true);
  });

  it.each([
    "Allow any-user to read objects in tenancy where request.principal.type = 'user'",
    "Allow any-user to read objects in tenancy where all {request.principal.type = 'user', target.bucket.name = 'logs'}",
    "Allow any-group to read objects in tenancy where request.principal.type != 'instance'",
  ])('leaves out %j, whose condition rules out an instance principal', async (statement) => {
    // Prepare
    const cloud = new MemoryAccessCloud(worldWith([statement]));
    // Act
    const result = await explain(cloud, 'member');
    // Assess
    expect(extra(result)).toEqual([]);
  });

  it('lists an any-user statement whose condition holds for every instance principal as applying', async () => {
    // Prepare
    const statement = "Allow any-user to read objects in tenancy where all {request.principal.type = 'instance'}";
    const cloud = new MemoryAccessCloud(worldWith([statement]));
    // Act
    const result = await explain(cloud, 'member');
    // Assess
    expect(extra(result)).toEqual([expect.objectContaining({ statement, basis: 'any-principal' })]);
    expect(extra(result)[0]?.note).toContain('applies to every instance principal');
  });

  it('lists an any-user statement granting permissions in braces as applying to the node', async () => {
    // Prepare
    const statement = 'Allow any-user to {OBJECT_READ} in tenancy';
    const cloud = new MemoryAccessCloud(worldWith([statement]));
    // Act
    const result = await explain(cloud, 'member');
    // Assess
    expect(extra(result)).toEqual([expect.objectContaining({ statement, basis: 'any-principal' })]);
  });

  it.each([
    'Allow any-user to {OBJECT_READ in tenancy',
    'Allow any-group to {OBJECT_READ, OBJECT_INSPECT in tenancy',
    'Allow any-user to frobnicate objects in tenancy',
  ])('lists %j, which does not parse, as not parsed with its error, and does not claim the answer complete', async (statement) => {
    // Prepare
    const cloud = new MemoryAccessCloud(worldWith([statement]));
    // Act
    const result = await explain(cloud, 'member');
    // Assess
    const listed = extra(result);
    expect(listed.length).toBeGreaterThan(0);
    expect(listed.every((found) => found.basis === 'not-parsed' && found.note?.includes('not parsed') === true)).toBe(true);
    expect(listed[0]?.note).toMatch(/expected/);
    expect(result.complete).toBe(false);
  });

  it('leaves out a statement that does not parse and names none of its groups, no other domain and no one at large', async () => {
    // Prepare
    const cloud = new MemoryAccessCloud(worldWith(['Allow group Ops to {TAG_NAMESPACE_USE} in tenancy']));
    // Act
    const result = await explain(cloud, 'member');
    // Assess
    expect(extra(result)).toEqual([]);
    expect(result.complete).toBe(true);
  });
});

describe('explainInstance: groups that were not read', () => {
  it('lists a statement naming a group of an identity domain that was not read, names the domain, and does not claim the answer complete', async () => {
    // Prepare
    const statement = "Allow dynamic-group 'Stage'/'stage-apps' to manage all-resources in tenancy";
    const cloud = new MemoryAccessCloud(worldWith([statement]));
    // Act
    const result = await explain(cloud, 'member');
    // Assess
    expect(extra(result)).toEqual([
      expect.objectContaining({ statement, basis: 'domain-not-read', dynamicGroup: 'Stage/stage-apps', dynamicGroupId: null }),
    ]);
    expect(extra(result)[0]?.note).toContain(DOMAIN_NOT_READ);
    expect(result.notSeen).toEqual([expect.stringContaining('identity domain Stage')]);
    expect(result.complete).toBe(false);
  });

  it('without any identity domain read, lists the statements naming another domain the same way', async () => {
    // Prepare
    const cloud = new MemoryAccessCloud(world({ domains: false }));
    // Act
    const result = await explain(cloud, 'member');
    // Assess
    const prod = result.statements.find((found) => found.policyName === 'prod-domain');
    expect(prod).toMatchObject({ basis: 'domain-not-read', dynamicGroup: 'prod/prod-nodes' });
    expect(prod?.note).toContain(DOMAIN_NOT_READ);
    expect(result.notSeen).toContainEqual(expect.stringContaining('identity domain prod'));
    expect(result.complete).toBe(false);
  });

  it('does not list a statement naming a group of a domain that was read, when that group does not match', async () => {
    // Prepare
    const cloud = new MemoryAccessCloud(worldWith(["Allow dynamic-group 'Prod'/'ghost' to manage all-resources in tenancy"]));
    // Act
    const result = await explain(cloud, 'member');
    // Assess
    expect(extra(result)).toEqual([]);
    expect(result.notSeen).toEqual([]);
    expect(result.complete).toBe(true);
  });

  it('lists a statement naming a dynamic group by an OCID that no domain read holds', async () => {
    // Prepare
    const statement = `Allow dynamic-group id ${group('elsewhere')} to manage all-resources in tenancy`;
    const cloud = new MemoryAccessCloud(worldWith([statement]));
    // Act
    const result = await explain(cloud, 'member');
    // Assess
    expect(extra(result)).toEqual([
      expect.objectContaining({ statement, basis: 'domain-not-read', dynamicGroup: null, dynamicGroupId: group('elsewhere') }),
    ]);
    expect(result.complete).toBe(false);
  });

  it('counts a domain whose groups could not be listed as not read', async () => {
    // Prepare
    const cloud = new MemoryAccessCloud(worldWith(["Allow dynamic-group 'Prod'/'other' to read buckets in tenancy"]));
    cloud.failures.set('ListDynamicResourceGroups Prod', notAuthorized('ListDynamicResourceGroups', 'Prod'));
    // Act
    const result = await explain(cloud, 'member');
    // Assess
    expect(extra(result)).toEqual([expect.objectContaining({ basis: 'domain-not-read', dynamicGroup: 'Prod/other' })]);
    expect(result.complete).toBe(false);
  });

  it.each([
    "Allow dynamic-group 'Stage'/'stage-apps' to {OBJECT_READ in tenancy",
    'Allow dynamic-group storage-only, Stage/stage-apps to {OBJECT_READ in tenancy',
  ])('lists %j, which does not parse but names a group of a domain that was not read', async (statement) => {
    // Prepare
    const cloud = new MemoryAccessCloud(worldWith([statement]));
    // Act
    const result = await explain(cloud, 'member');
    // Assess
    expect(extra(result)).toEqual([expect.objectContaining({ statement, basis: 'not-parsed' })]);
    expect(result.notSeen).toEqual([expect.stringContaining('identity domain Stage')]);
    expect(result.complete).toBe(false);
  });

  it('leaves out a Default-domain statement naming a group that does not match', async () => {
    // Prepare
    const cloud = new MemoryAccessCloud(worldWith([`Allow dynamic-group 'Default'/'storage-only' to read buckets in tenancy`]));
    // Act
    const result = await explain(cloud, 'member');
    // Assess
    expect(extra(result)).toEqual([]);
    expect(result.complete).toBe(true);
  });
});
