/**
 * `explain` over a world whose dynamic groups match in every way a rule can
 * (by tag, by compartment, by instance id, nested) and whose policies name
 * them by name and by OCID in several compartments: the built bundle against
 * the embedded fake, as an operator runs it.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { World } from '../../src/local/world-types';
import { REPO_ROOT, runCli } from '../helpers/run-cli';

const BASE = join(REPO_ROOT, 'test/fixtures/worlds/access/explain.json');
const instance = (label: string) => `ocid1.instance.oc1.iad.anuwcljtexample${label.padEnd(40, '0')}`;
const group = (label: string) => `ocid1.dynamicgroup.oc1..aaaaaaaaexample${label.padEnd(40, '0')}`;
const policy = (label: string) => `ocid1.policy.oc1..aaaaaaaaexample${label.padEnd(40, '0')}`;
const WORKERS = 'ocid1.compartment.oc1..aaaaaaaaexampleworkerscompartment000000000000000000000000000000000';
const CLUSTERS = 'ocid1.compartment.oc1..aaaaaaaaexampleclusterscompartment00000000000000000000000000000000';
const BUCKET_B = 'ocid1.compartment.oc1..aaaaaaaaexamplebucketbcompartment000000000000000000000000000000000';
/** The world's one identity domain: named, so that every group a statement names is read and the answer can be complete. */
const PROD_URL = 'https://idcs-0123456789abcdef.identity.oraclecloud.com:443';

interface Explained {
  member: unknown;
  action: unknown;
  expectedTags: unknown;
  actualTags: unknown;
  dynamicGroups: { name: string; matchesNow: unknown; matchesWhenCorrect: unknown }[];
  statements: { policyName: string; compartmentPath: string; statement: string; dynamicGroup: string }[];
}

let dir: string;
let worldFile: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'explain-chain-'));
  const world = JSON.parse(await readFile(BASE, 'utf8')) as World;
  const tenancyId = world.tenancyId as string;
  // oke-apps-1 carries a stale pool name: the function would fix it.
  const stale = world.instances.find((candidate) => candidate.id === instance('nodeapps1'));
  if (stale === undefined) throw new Error('the explain world lost oke-apps-1');
  stale.definedTags = { ...stale.definedTags, 'oke-nodepool-tags': { 'oke-nodepool-name': 'apps-old' } };
  const extraGroup = (label: string, name: string, matchingRule: string) => ({
    id: group(label),
    name,
    matchingRule,
    compartmentId: tenancyId,
    lifecycleState: 'ACTIVE',
  });
  world.dynamicGroups?.push(
    extraGroup('byid', 'node-zero', `Any {instance.id = '${instance('nodeapps0')}'}`),
    extraGroup(
      'nested',
      'apps-in-workers',
      `any {all {tag.oke-nodepool-tags.oke-nodepool-name.value = 'apps', instance.compartment.id = '${WORKERS}'}, all {instance.id = 'ocid1.instance.oc1.iad.other'}}`,
    ),
    extraGroup('stale', 'old-apps', "All {tag.oke-nodepool-tags.oke-nodepool-name.value = 'apps-old'}"),
  );
  world.policies?.push(
    {
      id: policy('byidclusters'),
      name: 'node-zero-clusters',
      compartmentId: CLUSTERS,
      statements: [`Allow dynamic-group id ${group('byid')} to read cluster-family in compartment id ${CLUSTERS}`],
      lifecycleState: 'ACTIVE',
    },
    {
      id: policy('nestedbucket'),
      name: 'apps-in-workers-bucket',
      compartmentId: BUCKET_B,
      statements: [
        'Allow dynamic-group apps-in-workers to read objects in compartment bucket-b',
        'Allow dynamic-group old-apps to read objects in compartment bucket-b',
      ],
      lifecycleState: 'ACTIVE',
    },
  );
  worldFile = join(dir, 'world.json');
  await writeFile(worldFile, JSON.stringify(world));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function explain(label: string): Promise<Explained> {
  const run = await runCli(['explain', instance(label), '--world', worldFile, '--json', '--identity-domain-url', PROD_URL]);
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as Explained;
}

const groupsOf = (result: Explained) =>
  Object.fromEntries(result.dynamicGroups.map((entry) => [entry.name, [entry.matchesNow, entry.matchesWhenCorrect]]));

describe('explain over every way a group can match', () => {
  it('matches a correctly tagged member by tag, by compartment, by instance id and through a nested rule', async () => {
    // Act
    const result = await explain('nodeapps0');

    // Assess
    expect(result).toMatchObject({ member: true, action: 'none' });
    expect(groupsOf(result)).toEqual({
      'apps-nodes': [true, true],
      'workers-all': [true, true],
      'node-zero': [true, true],
      'apps-in-workers': [true, true],
      'prod-apps': [true, true],
    });
  });

  it('lists the statements naming those groups by name and by OCID, in the tenancy and in several compartments', async () => {
    // Act
    const result = await explain('nodeapps0');

    // Assess
    const where = result.statements.map((entry) => `${entry.dynamicGroup} @ ${entry.compartmentPath}: ${entry.policyName}`);
    expect(where).toEqual(
      expect.arrayContaining([
        'apps-nodes @ root: node-basics',
        'apps-nodes @ root:storage: storage-readers',
        'apps-nodes @ root:storage:bucket-b: bucket-b-writers',
        'node-zero @ root:clusters: node-zero-clusters',
        'apps-in-workers @ root:storage:bucket-b: apps-in-workers-bucket',
      ]),
    );
    expect(result.statements.find((entry) => entry.policyName === 'node-zero-clusters')?.statement).toContain(
      `dynamic-group id ${group('byid')}`,
    );
    expect(where.some((entry) => entry.startsWith('old-apps'))).toBe(false);
  });

  it('shows a stale tag: the function would fix it, the stale group matches now and the pool groups only once fixed', async () => {
    // Act
    const result = await explain('nodeapps1');

    // Assess
    expect(result).toMatchObject({
      member: true,
      action: 'fix',
      expectedTags: { 'oke-nodepool-name': 'apps' },
      actualTags: { 'oke-nodepool-name': 'apps-old' },
    });
    expect(groupsOf(result)).toMatchObject({
      'old-apps': [true, false],
      'apps-nodes': [false, true],
      'apps-in-workers': [false, true],
      'workers-all': [true, true],
    });
    expect(result.statements.map((entry) => entry.statement)).toContain(
      'Allow dynamic-group old-apps to read objects in compartment bucket-b',
    );
  });
});
