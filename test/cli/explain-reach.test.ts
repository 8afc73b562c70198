/**
 * `explain` over the worlds where statements reach a node without naming one
 * of its groups: any-user and any-group statements with conditions it cannot
 * evaluate (or in a form it cannot parse), and groups of identity domains it
 * did not read. The built bundle against the embedded fake.
 */
import { join } from 'node:path';
import { REPO_ROOT, runCli } from '../helpers/run-cli';

const worldFile = (name: string) => join(REPO_ROOT, `test/fixtures/worlds/access/${name}.json`);
const instance = (label: string) => `ocid1.instance.oc1.iad.anuwcljtexample${label.padEnd(40, '0')}`;
const PROD_URL = 'https://idcs-0123456789abcdef.identity.oraclecloud.com:443';

interface Explained {
  statements: { statement: string; basis: string; dynamicGroup: string | null; note?: string }[];
  notSeen: string[];
  complete: boolean;
}

const explain = (label: string, world: string, ...args: string[]) =>
  runCli(['explain', instance(label), '--world', worldFile(world), ...args]);

describe('oke-nodepool-tagger explain: statements that reach the node without naming its groups', () => {
  it('lists the any-user and any-group statements it cannot evaluate or parse, and exits 1', async () => {
    // Act
    const run = await explain('nodeapps1', 'explain-any-principal', '--json', '--identity-domain-url', PROD_URL);
    // Assess
    expect(run.code).toBe(1);
    const result = JSON.parse(run.stdout) as Explained;
    const anyone = result.statements.filter((statement) => statement.dynamicGroup === null);
    expect(anyone.map((statement) => [statement.statement, statement.basis])).toEqual([
      ["Allow any-user to read objects in tenancy where request.principal.type = 'instance'", 'any-principal'],
      ["Allow any-user to read buckets in tenancy where target.bucket.name = 'public'", 'any-principal'],
      ['Allow any-user to {OBJECT_READ in tenancy', 'not-parsed'],
      [expect.stringContaining('Allow any-group to manage objects in tenancy where request.groups.id'), 'any-principal'],
    ]);
    expect(anyone[1]?.note).toBe('may apply; condition not evaluated');
    expect(anyone[3]?.note).toBe('may apply; condition not evaluated');
    expect(result.complete).toBe(false);
  });

  it('prints them under their own headings, with the parse error', async () => {
    // Act
    const run = await explain('nodeapps1', 'explain-any-principal', '--identity-domain-url', PROD_URL);
    // Assess
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      / {2}any-user and any-group\n {4}Allow any-user to read objects in tenancy where request\.principal\.type = 'instance'/,
    );
    expect(run.stdout).toMatch(/ {2}statements that do not parse\n {4}Allow any-user to \{OBJECT_READ in tenancy\n/);
    expect(run.stdout).toContain('not parsed, so what it grants is unknown:');
    expect(run.stdout).toContain('not complete: some answers are unknown');
  });

  it('lists a group of an identity domain that was not read, names that domain, and exits 1', async () => {
    // Act
    const run = await explain('impostor', 'explain-two-domains', '--json', '--identity-domain-url', PROD_URL);
    // Assess
    expect(run.code).toBe(1);
    const result = JSON.parse(run.stdout) as Explained;
    expect(result.statements).toContainEqual(
      expect.objectContaining({
        statement: "Allow dynamic-group 'Stage'/'stage-apps' to manage all-resources in tenancy",
        basis: 'domain-not-read',
        dynamicGroup: 'Stage/stage-apps',
        note: expect.stringContaining("may apply; the group's domain was not read"),
      }),
    );
    expect(result.notSeen).toEqual([expect.stringContaining('identity domain Stage')]);
    expect(result.complete).toBe(false);
  });

  it('reads both domains when both are named, and then the Stage group is matched and the answer complete', async () => {
    // Act
    const run = await explain(
      'nodeapps0',
      'explain-two-domains',
      '--json',
      '--identity-domain-url',
      PROD_URL,
      '--identity-domain-url',
      'https://idcs-fedcba9876543210.identity.oraclecloud.com:443',
    );
    // Assess
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as Explained;
    expect(result.statements).toContainEqual(expect.objectContaining({ dynamicGroup: 'Stage/stage-apps', basis: 'names-group' }));
    expect(result).toMatchObject({ notSeen: [], complete: true });
  });

  it('without any domain URL, lists the statement naming the Prod group as not read, and exits 1', async () => {
    // Act
    const run = await explain('nodeapps0', 'explain');
    // Assess
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      / {2}groups that were not read\n {4}Allow dynamic-group 'Prod'\/'prod-apps' to read buckets in compartment bucket-b\n {6}policy storage-readers in root:storage\n {6}may apply; the group's domain was not read/,
    );
    expect(run.stdout).toContain('- identity domain Prod');
  });
});
