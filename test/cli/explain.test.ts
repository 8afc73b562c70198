/** `explain` run as a user runs it: the built bundle against the explain world on the embedded fake OCI API. */
import { join } from 'node:path';
import { REPO_ROOT, runCli } from '../helpers/run-cli';

const WORLD = join(REPO_ROOT, 'test/fixtures/worlds/access/explain.json');
const instance = (label: string) => `ocid1.instance.oc1.iad.anuwcljtexample${label.padEnd(40, '0')}`;
const DOMAIN_URL = 'https://idcs-0123456789abcdef.identity.oraclecloud.com:443';
const BUCKET_B = 'ocid1.compartment.oc1..aaaaaaaaexamplebucketbcompartment000000000000000000000000000000000';

const explain = (label: string, ...args: string[]) => runCli(['explain', instance(label), '--world', WORLD, ...args]);

describe('oke-nodepool-tagger explain', () => {
  it('prints the four sections in order for an untagged node, with the tag it would get and the groups it would join', async () => {
    // Act
    const run = await explain('nodeapps1');
    // Assess
    // 1: without --identity-domain-url the Prod domain's groups are not read, and a statement names one.
    expect(run.code).toBe(1);
    const headings = run.stdout.split('\n').filter((line) => /^\d\. /.test(line));
    expect(headings).toEqual(['1. The instance', '2. Our tags', '3. The dynamic groups', '4. The policy statements']);
    expect(run.stdout).toMatch(/node pool +apps \(ocid1\.nodepool\.oc1\.iad\.aaaaaaaaexamplepoolapps0+\) in root:clusters/);
    expect(run.stdout).toMatch(/oke-nodepool-tags\.oke-nodepool-name +apps +\(none\)/);
    expect(run.stdout).toContain('the function would: tag');
    expect(run.stdout).toContain('apps-nodes (Default domain)  now: no  when its tags are right: yes');
    expect(run.stdout).toContain('policy bucket-b-writers in root:storage:bucket-b');
    expect(run.stdout).toContain("Allow dynamic-group 'Default'/'apps-nodes' to read buckets in compartment bucket-b");
    expect(run.stdout).not.toContain('storage-only');
    expect(run.stdout).toContain('applies to every instance principal, this node included');
    expect(run.stdout).toContain('name each domain with --identity-domain-url URL');
    expect(run.stdout).toContain("may apply; the group's domain was not read (identity domain Prod)");
  });

  it('prints one JSON object with the documented fields, and reads the named identity domain', async () => {
    // Act
    const run = await explain('nodeapps0', '--json', '--identity-domain-url', DOMAIN_URL);
    // Assess
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as Record<string, unknown>;
    for (const field of ['instance', 'nodePool', 'cluster', 'member', 'memberReason', 'expectedTags', 'actualTags', 'action'])
      expect(result).toHaveProperty(field);
    expect(result).toMatchObject({
      instance: { id: instance('nodeapps0'), displayName: 'oke-apps-0', compartmentPath: 'root:workers' },
      nodePool: { name: 'apps', foundVia: 'hint' },
      cluster: { name: 'prod' },
      member: true,
      expectedTags: { 'oke-nodepool-name': 'apps' },
      actualTags: { 'oke-nodepool-name': 'apps' },
      action: 'none',
      notSeen: [],
      complete: true,
    });
    const groups = result.dynamicGroups as { name: string; matchingRule: string; matchesNow: unknown; matchesWhenCorrect: unknown }[];
    expect(groups.map((group) => [group.name, group.matchesNow, group.matchesWhenCorrect])).toEqual([
      ['apps-nodes', true, true],
      ['workers-all', true, true],
      ['prod-apps', true, true],
    ]);
    const statements = result.statements as { policyName: string; compartmentId: string; statement: string; dynamicGroup: string | null }[];
    expect(statements.map((statement) => [statement.policyName, statement.dynamicGroup])).toEqual([
      ['node-basics', 'apps-nodes'],
      ['storage-readers', 'apps-nodes'],
      ['bucket-b-writers', 'apps-nodes'],
      ['node-basics', 'workers-all'],
      ['storage-readers', 'Prod/prod-apps'],
      ['node-basics', null],
    ]);
    expect(statements[2]).toMatchObject({ compartmentId: BUCKET_B });
  });

  it.each([
    [{}, 'remove'],
    [{ impostor_action: 'report' }, 'report'],
  ])('shows an impostor carrying the pool tag as no member (environment %j: %s)', async (env, action) => {
    // Act
    const run = await runCli(['explain', instance('impostor'), '--world', WORLD, '--json', '--identity-domain-url', DOMAIN_URL], env);
    // Assess
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as { member: unknown; action: unknown; nodePool: unknown; dynamicGroups: { name: string }[] };
    expect(result).toMatchObject({ member: false, action, nodePool: null });
    expect(result.dynamicGroups).toContainEqual(
      expect.objectContaining({ name: 'apps-nodes', matchesNow: true, matchesWhenCorrect: false }),
    );
  });

  it('costs the documented calls: membership, one GetCluster, one page per list, ListDomains once for a named domain', async () => {
    // Act
    const plain = await explain('nodeapps0');
    const withDomain = await explain('nodeapps0', '--identity-domain-url', DOMAIN_URL);
    // Assess
    // GetInstance, GetNodePool, GetCluster, ListCompartments, ListDynamicGroups, ListPolicies for the tenancy and 4 compartments
    // (not complete: a statement names a group of the Prod domain, which is not read without its URL).
    expect(plain.stdout).toContain('not complete: some answers are unknown (10 API calls)');
    // Plus ListDomains and one page of the domain's dynamic resource groups.
    expect(withDomain.stdout).toContain('complete: everything was read and decided (12 API calls)');
  });

  it('exits 1 and still prints the report when membership is unknown', async () => {
    // Act
    const run = await explain('forgedhint');
    // Assess
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/member +unknown: .*oke-pool-id ocid1\.nodepool\.oc1\.iad\.aaaaaaaaexamplepoolgone0+ answered 404/);
    expect(run.stdout).toContain('the function would: unknown');
    expect(run.stdout).toContain('not complete: some answers are unknown');
  });

  it('shows its help', async () => {
    // Act
    const run = await runCli(['explain', '--help']);
    // Assess
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Usage: oke-nodepool-tagger explain INSTANCE_OCID/);
    expect(run.stdout).toContain('--identity-domain-url URL');
  });

  it.each([
    [['explain', 'ocid1.nodepool.oc1.iad.aaaa'], 'is not an instance OCID'],
    [['explain'], 'name exactly one INSTANCE_OCID'],
    [['explain', instance('nodeapps0'), '--tenancy', 'ocid1.compartment.oc1..aaaa'], 'is not a tenancy OCID'],
    [['explain', instance('nodeapps0'), '--jsn'], 'did you mean --json?'],
  ])('refuses bad usage with exit 2: %j', async (args, message) => {
    // Act
    const run = await runCli(args);
    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stdout).toBe('');
  });
});
