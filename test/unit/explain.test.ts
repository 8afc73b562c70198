/** `explain` over in-memory access ports: the function's own decision, the groups that match, and the statements that name them. */
import { OTHER_DOMAINS_NOT_SEEN, type ExplainResult } from '../../src/iam/explain';
import {
  BROKEN_RULE,
  buckets,
  clusterId,
  clusters,
  explain,
  group,
  KEY,
  policy,
  POOL_RULE,
  poolId,
  storage,
  tenancy,
  world,
} from '../helpers/explain-world';
import { MemoryAccessCloud, notAuthorized } from '../helpers/memory-access-ports';
import { ids } from '../helpers/memory-ports';

const groupNamed = (result: ExplainResult, name: string) => result.dynamicGroups.find((candidate) => candidate.name === name);

describe('explainInstance', () => {
  it('shows a correctly tagged member with its verified pool and cluster, and nothing to do', async () => {
    // Prepare
    const cloud = new MemoryAccessCloud(world());
    // Act
    const result = await explain(cloud, 'member');
    // Assess
    expect(result.instance).toMatchObject({ id: ids.instance('member'), displayName: 'member', compartmentPath: 'root:workers' });
    expect(result.instance).toMatchObject({ okeHints: { nodePoolId: poolId, clusterId, hasOkeMetadata: true } });
    expect(result.nodePool).toEqual({
      id: poolId,
      name: 'pool-a',
      compartmentId: clusters,
      compartmentPath: 'root:clusters',
      lifecycleState: 'ACTIVE',
      foundVia: 'hint',
    });
    expect(result.cluster).toEqual({ id: clusterId, name: 'prod', compartmentId: clusters, compartmentPath: 'root:clusters' });
    expect(result).toMatchObject({ member: true, action: 'none', expectedTags: { [KEY]: 'pool-a' }, actualTags: { [KEY]: 'pool-a' } });
    expect(result.memberReason).toContain('node pool pool-a');
    expect(result.complete).toBe(true);
    expect(Object.isFrozen(result) && Object.isFrozen(result.dynamicGroups)).toBe(true);
  });

  it('matches groups by tag, by compartment, by instance id and through a nested Any {All {…}}, and leaves out the rest', async () => {
    // Prepare
    const cloud = new MemoryAccessCloud(world());
    // Act
    const result = await explain(cloud, 'member');
    // Assess
    expect(result.dynamicGroups.map((found) => [found.name, found.domain, found.matchesNow, found.matchesWhenCorrect])).toEqual([
      ['pool-a-nodes', 'Default', true, true],
      ['workers-all', 'Default', true, true],
      ['just-member', 'Default', true, true],
      ['nested', 'Default', true, true],
      ['prod-nodes', 'Prod', true, true],
    ]);
    expect(groupNamed(result, 'pool-a-nodes')?.matchingRule).toBe(POOL_RULE);
  });

  it('lists every statement naming a matched group (by name, by id, with a domain prefix) with its policy and path, then the any-user and any-group ones that may apply', async () => {
    // Prepare
    const cloud = new MemoryAccessCloud(world());
    // Act
    const result = await explain(cloud, 'member');
    // Assess
    const rows = result.statements.map((found) => [found.policyName, found.compartmentPath, found.dynamicGroup, found.basis]);
    expect(rows).toEqual([
      ['node-basics', 'root', 'pool-a-nodes', 'names-group'],
      ['node-basics', 'root', 'workers-all', 'names-group'],
      ['bucket-b-access', 'root:storage:buckets', 'just-member', 'names-group'],
      ['prod-domain', 'root:storage', 'Prod/prod-nodes', 'names-group'],
      ['node-basics', 'root', null, 'any-principal'],
      ['node-basics', 'root', null, 'any-principal'],
      ['node-basics', 'root', null, 'any-principal'],
    ]);
    expect(result.statements[2]).toMatchObject({ policyId: policy('bucketb'), compartmentId: buckets, dynamicGroupId: group('one') });
    expect(result.statements[4]?.statement).toBe("Allow any-user to read objects in tenancy where request.principal.type = 'instance'");
    expect(result.statements[4]?.note).toContain('applies to every instance principal');
    expect(result.statements[5]).toMatchObject({
      statement: "Allow any-user to inspect buckets in tenancy where request.user.id = 'ocid1.user.oc1..someone'",
      note: 'may apply; condition not evaluated',
    });
    expect(result.statements[6]?.note).toContain('every group and dynamic group');
  });

  it('plans a tag for an untagged member, whose tag group matches only once its tags are right, and never writes', async () => {
    // Prepare
    const cloud = new MemoryAccessCloud(world());
    // Act
    const result = await explain(cloud, 'untagged');
    // Assess
    expect(result).toMatchObject({ member: true, action: 'tag', expectedTags: { [KEY]: 'pool-a' }, actualTags: {} });
    expect(groupNamed(result, 'pool-a-nodes')).toMatchObject({ matchesNow: false, matchesWhenCorrect: true });
    expect(groupNamed(result, 'just-member')).toBeUndefined();
    expect(cloud.count('UpdateInstance')).toBe(0);
  });

  it('plans a fix for a member whose tag is stale', async () => {
    // Prepare
    const cloud = new MemoryAccessCloud(world());
    // Act
    const result = await explain(cloud, 'stale');
    // Assess
    expect(result).toMatchObject({ member: true, action: 'fix', expectedTags: { [KEY]: 'pool-a' }, actualTags: { [KEY]: 'old-name' } });
    expect(result.actionReason).toContain('stale');
  });

  it.each([
    ['remove', 'remove'],
    ['report', 'report'],
  ])('shows an impostor carrying the tag as no member, with impostor_action=%s: %s', async (impostorAction, action) => {
    // Prepare
    const cloud = new MemoryAccessCloud(world());
    // Act
    const result = await explain(cloud, 'impostor', { impostor_action: impostorAction });
    // Assess
    expect(result).toMatchObject({
      member: false,
      action,
      expectedTags: {},
      actualTags: { [KEY]: 'pool-a' },
      nodePool: null,
      cluster: null,
    });
    expect(result.memberReason).toContain('no node pool lists the instance');
    expect(groupNamed(result, 'pool-a-nodes')).toMatchObject({ matchesNow: true, matchesWhenCorrect: false });
    expect(result.complete).toBe(true);
  });

  it('keeps membership, action and the would-match answers unknown when GetNodePool fails', async () => {
    // Prepare
    const cloud = new MemoryAccessCloud(world());
    cloud.failures.set(`GetNodePool ${poolId}`, notAuthorized('GetNodePool', poolId));
    // Act
    const result = await explain(cloud, 'member');
    // Assess
    expect(result).toMatchObject({
      member: 'unknown',
      action: 'unknown',
      nodePool: 'unknown',
      cluster: 'unknown',
      expectedTags: 'unknown',
    });
    expect(result.memberReason).toContain(poolId);
    expect(groupNamed(result, 'pool-a-nodes')).toMatchObject({ matchesNow: true, matchesWhenCorrect: 'unknown' });
    expect(groupNamed(result, 'pool-a-nodes')?.unknownReason).toContain('what its tags should be is unknown');
    expect(result.complete).toBe(false);
  });

  it('names a rule that does not parse, with the position of the error, and counts it as unknown', async () => {
    // Prepare
    const cloud = new MemoryAccessCloud(world({ broken: true }));
    // Act
    const result = await explain(cloud, 'member');
    // Assess
    const broken = groupNamed(result, 'broken');
    expect(broken).toMatchObject({ matchesNow: 'unknown', matchesWhenCorrect: 'unknown', matchingRule: BROKEN_RULE });
    expect(broken?.ruleError).toMatchObject({ line: 1, column: BROKEN_RULE.length + 1, offset: BROKEN_RULE.length });
    expect(broken?.unknownReason).toContain(`column ${BROKEN_RULE.length + 1}`);
    expect(result.complete).toBe(false);
  });

  it('keeps a group whose identity domain answered no rule as unknown, with the reason', async () => {
    // Prepare
    const tenancyWorld = world();
    tenancyWorld.domains[0]?.dynamicGroups.push({
      id: group('norule'),
      name: 'no-rule',
      matchingRule: undefined,
      compartmentId: tenancy,
      domain: 'Prod',
    });
    const cloud = new MemoryAccessCloud(tenancyWorld);
    // Act
    const result = await explain(cloud, 'member');
    // Assess
    expect(groupNamed(result, 'no-rule')).toMatchObject({ matchesNow: 'unknown', matchingRule: null });
    expect(groupNamed(result, 'no-rule')?.unknownReason).toContain('answered no matching rule');
  });

  it('reports a compartment whose policies could not be read, and does not claim the answer complete', async () => {
    // Prepare
    const cloud = new MemoryAccessCloud(world());
    cloud.failures.set(`ListPolicies ${buckets}`, notAuthorized('ListPolicies', buckets));
    // Act
    const result = await explain(cloud, 'member');
    // Assess
    expect(result.unread).toEqual([expect.objectContaining({ operation: 'ListPolicies', resourceId: buckets })]);
    expect(result.statements.map((found) => found.policyName)).not.toContain('bucket-b-access');
    expect(result.complete).toBe(false);
  });

  it('lists a statement that does not parse but mentions a matched group, and does not claim the answer complete', async () => {
    // Prepare
    const tenancyWorld = world();
    tenancyWorld.policies.push({
      id: policy('typo'),
      name: 'typo',
      compartmentId: storage,
      statements: ['Allow dynamic-group pool-a-nodes to frobnicate objects in tenancy'],
    });
    const cloud = new MemoryAccessCloud(tenancyWorld);
    // Act
    const result = await explain(cloud, 'member');
    // Assess
    const typo = result.statements.find((found) => found.policyName === 'typo');
    expect(typo).toMatchObject({ basis: 'not-parsed', dynamicGroup: 'pool-a-nodes', compartmentPath: 'root:storage' });
    expect(typo?.note).toContain('not parsed');
    expect(result.complete).toBe(false);
  });

  it('reports dynamic groups that could not be listed as unread', async () => {
    // Prepare
    const cloud = new MemoryAccessCloud(world());
    cloud.failures.set(`ListDynamicGroups ${tenancy}`, notAuthorized('ListDynamicGroups', tenancy));
    // Act
    const result = await explain(cloud, 'member');
    // Assess
    expect(result.unread).toEqual([expect.objectContaining({ operation: 'ListDynamicGroups', resourceId: tenancy })]);
    expect(result.dynamicGroups.map((found) => found.name)).toEqual(['prod-nodes']);
    expect(result.complete).toBe(false);
  });

  it('says that other identity domains were not seen when none is named, and names the one a statement names', async () => {
    // Prepare
    const cloud = new MemoryAccessCloud(world({ domains: false }));
    // Act
    const result = await explain(cloud, 'member');
    // Assess
    expect(result.notSeen).toEqual([OTHER_DOMAINS_NOT_SEEN, expect.stringContaining('identity domain prod:')]);
    expect(groupNamed(result, 'prod-nodes')).toBeUndefined();
  });

  it('keeps every answer unknown when the instance cannot be read', async () => {
    // Prepare
    const cloud = new MemoryAccessCloud(world());
    cloud.failures.set(`GetInstance ${ids.instance('member')}`, notAuthorized('GetInstance', ids.instance('member')));
    // Act
    const result = await explain(cloud, 'member');
    // Assess
    expect(result).toMatchObject({ instance: 'unknown', member: 'unknown', action: 'unknown', actualTags: 'unknown' });
    expect(result.dynamicGroups.every((found) => found.matchesNow === 'unknown')).toBe(true);
    expect(result.dynamicGroups).toHaveLength(6);
  });

  it('costs the membership calls, one GetCluster, and one list per compartment, group source and policy compartment', async () => {
    // Prepare
    const tenancyWorld = world();
    const cloud = new MemoryAccessCloud(tenancyWorld);
    // Act
    await explain(cloud, 'member');
    // Assess
    const membership = 2; // GetInstance, GetNodePool of its hint
    const bound = membership + 1 + 1 + (1 + tenancyWorld.compartments.length) + 1 + tenancyWorld.domains.length;
    expect(cloud.calls.length).toBeLessThanOrEqual(bound);
    expect(cloud.count('ListPolicies')).toBe(1 + tenancyWorld.compartments.length);
    expect(cloud.count('GetCluster')).toBe(1);
    expect(cloud.count('ListCompartments')).toBe(1);
  });
});
