/**
 * Each `doctor` finding, one change away from the healthy deployment, run as
 * an operator runs it: the built bundle over a world file on the embedded
 * fake. Each case names the check it breaks, the status that check must
 * report and the exit code (3 a failure, 0 warnings only).
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, runCli } from '../helpers/run-cli';

const HEALTHY = join(REPO_ROOT, 'test/fixtures/worlds/access/doctor-healthy.json');
const APPS = 'ocid1.compartment.oc1..aaaaaaaaexampleapps00000000000000000000000000000000000000000';
const WORKERS = 'ocid1.compartment.oc1..aaaaaaaaexampleworkers00000000000000000000000000000000000000';
const FUNCTIONS = 'ocid1.compartment.oc1..aaaaaaaaexamplefunctions000000000000000000000000000000000000';
const FUNCTION_ID = 'ocid1.fnfunc.oc1.iad.aaaaaaaaexampletagger000000000000000000000000000000000000000';
const WEB_POOL = 'ocid1.nodepool.oc1.iad.aaaaaaaaexamplepoolweb00000000000000000000000000000000000000';

/* eslint-disable @typescript-eslint/no-explicit-any -- the cases edit a parsed world file, whose shape each case knows */
type JsonWorld = Record<string, any>;

interface Check {
  id: string;
  status: string;
}

const byName = (list: { name?: string; displayName?: string }[], name: string) => {
  const found = list.find((entry) => (entry.name ?? entry.displayName) === name);
  if (found === undefined) throw new Error(`the healthy world has no ${name}`);
  return found as JsonWorld;
};
const policy = (world: JsonWorld, name: string) => byName(world.policies, name);
const rule = (world: JsonWorld, compartmentId: string) => {
  const found = (world.rules as JsonWorld[]).find((entry) => entry.compartmentId === compartmentId);
  if (found === undefined) throw new Error(`the healthy world has no rule in ${compartmentId}`);
  return found;
};
const scheduleBody = (world: JsonWorld) => world.schedules[0].resources[0].parameters[0];

/** A second cluster whose pool is also named `web`, with one node in the workers compartment. */
function addSameNamedPool(world: JsonWorld): void {
  const clusterId = 'ocid1.cluster.oc1.iad.aaaaaaaaexamplestaging000000000000000000000000000000000000000';
  const poolId = 'ocid1.nodepool.oc1.iad.aaaaaaaaexamplestagingweb0000000000000000000000000000000000000';
  const instanceId = 'ocid1.instance.oc1.iad.anuwcljtexamplestagingweb00000000000000000000000000000000000';
  world.clusters.push({ ...world.clusters[0], id: clusterId, name: 'staging' });
  const web = byName(world.nodePools, 'web');
  world.nodePools.push({
    ...web,
    id: poolId,
    clusterId,
    nodes: [{ id: instanceId, name: 'staging-web-0', lifecycleState: 'ACTIVE', nodePoolId: poolId }],
  });
  const node = world.instances.find((entry: JsonWorld) => entry.metadata['oke-pool-id'] === WEB_POOL);
  world.instances.push({
    ...node,
    id: instanceId,
    displayName: 'staging-web-0',
    metadata: { ...node.metadata, 'oke-pool-id': poolId, 'oke-cluster-id': clusterId },
  });
}

/** One case: what changes, the check it breaks, that check's status, the exit code, and the other checks the change takes with it. */
interface Case {
  readonly name: string;
  readonly check: string;
  readonly status: 'fail' | 'warn';
  readonly alsoNotOk?: readonly string[];
  readonly change: (world: JsonWorld) => void;
}

const CASES: readonly Case[] = [
  {
    name: 'a retired tag namespace',
    check: 'tags.namespace',
    status: 'fail',
    alsoNotOk: ['tags.key.oke-nodepool-name=fail'],
    change: (w) => (w.tagNamespaces['oke-nodepool-tags'].retired = true),
  },
  {
    name: 'no such function',
    check: 'function.exists',
    status: 'fail',
    alsoNotOk: ['function.config=fail', 'rights.group=fail', 'events.policy=fail', 'schedule.exists=fail', 'who-can-tag.policies=warn'],
    change: (w) => (w.functions = []),
  },
  {
    name: 'function config that disagrees with the flags',
    check: 'function.config',
    status: 'fail',
    change: (w) => (w.functions[0].config.tag_name = 'pool'),
  },
  {
    name: 'no dynamic group matching the function',
    check: 'rights.group',
    status: 'fail',
    alsoNotOk: ['rights.permissions=fail', 'who-can-tag.policies=warn'],
    change: (w) => (w.dynamicGroups = w.dynamicGroups.filter((g: JsonWorld) => g.name !== 'oke-nodepool-tagger-fn')),
  },
  {
    name: 'a missing permission',
    check: 'rights.3',
    status: 'fail',
    change: (w) => policy(w, 'oke-nodepool-tagger-fn').statements.splice(2, 1),
  },
  {
    name: 'a grant in a compartment that does not cover the instances',
    check: 'rights.2',
    status: 'fail',
    change: (w) =>
      (policy(w, 'oke-nodepool-tagger-fn').statements[1] =
        `Allow dynamic-group oke-nodepool-tagger-fn to read instances in compartment id ${FUNCTIONS}`),
  },
  {
    name: 'a grant whose condition is not evaluated',
    check: 'rights.1',
    status: 'warn',
    change: (w) => (policy(w, 'oke-nodepool-tagger-fn').statements[0] += " where request.region = 'iad'"),
  },
  {
    name: 'no Events rule for the instances',
    check: `events.instances.${WORKERS}`,
    status: 'fail',
    change: (w) => (w.rules = w.rules.filter((r: JsonWorld) => r.compartmentId !== WORKERS)),
  },
  { name: 'a disabled Events rule', check: `events.pools.${APPS}`, status: 'fail', change: (w) => (rule(w, APPS).isEnabled = false) },
  {
    name: 'a rule action aimed at another function',
    check: `events.instances.${WORKERS}`,
    status: 'fail',
    change: (w) => (rule(w, WORKERS).actions.actions[0].functionId = FUNCTION_ID.replace('tagger', 'other0')),
  },
  {
    name: 'two rules delivering one event',
    check: 'events.duplicates',
    status: 'warn',
    change: (w) => w.rules.push({ ...rule(w, WORKERS), id: rule(w, WORKERS).id.replace('aaaaaaaa', 'bbbbbbbb') }),
  },
  {
    name: 'no policy letting Events invoke the function',
    check: 'events.policy',
    status: 'fail',
    change: (w) => (w.policies = w.policies.filter((p: JsonWorld) => p.name !== 'oke-nodepool-tagger-events')),
  },
  { name: 'no schedule', check: 'schedule.exists', status: 'fail', change: (w) => (w.schedules = []) },
  { name: 'a disabled schedule', check: 'schedule.enabled', status: 'fail', change: (w) => (w.schedules[0].lifecycleState = 'INACTIVE') },
  {
    name: 'a schedule body without the instance compartments',
    check: 'schedule.body',
    status: 'fail',
    change: (w) => (scheduleBody(w).value = JSON.stringify({ action: 'reconcile', poolCompartmentIds: [APPS], apply: true, prune: true })),
  },
  {
    name: 'a detached timeout longer than the interval',
    check: 'schedule.timeout',
    status: 'fail',
    change: (w) => (w.functions[0].detachedModeTimeoutInSeconds = 3600),
  },
  {
    name: 'a pool without a group',
    check: `pools.group.${WEB_POOL}`,
    status: 'fail',
    change: (w) => (w.dynamicGroups = w.dynamicGroups.filter((g: JsonWorld) => g.name !== 'oke-pool-web')),
  },
  {
    name: 'two pools sharing one group',
    check: `pools.group.${WEB_POOL}`,
    status: 'fail',
    alsoNotOk: ['pools.group.ocid1.nodepool.oc1.iad.aaaaaaaaexamplestagingweb0000000000000000000000000000000000000=fail'],
    change: addSameNamedPool,
  },
  {
    name: 'someone else who may tag',
    check: 'who-can-tag.policies',
    status: 'warn',
    change: (w) => policy(w, 'Tenant Admin Policy').statements.push('Allow group Developers to use tag-namespaces in tenancy'),
  },
  {
    name: 'a group matching the tag in any compartment',
    check: 'who-can-tag.rules',
    status: 'warn',
    change: (w) =>
      w.dynamicGroups.push({
        ...byName(w.dynamicGroups, 'oke-pool-web'),
        id: 'ocid1.dynamicgroup.oc1..aaaaaaaaexampleanyweb0000000000000000000000000',
        name: 'any-web',
        matchingRule: "All {tag.oke-nodepool-tags.oke-nodepool-name.value = 'web'}",
      }),
  },
  { name: 'a node without its tag', check: 'nodes', status: 'warn', change: (w) => (w.instances[0].definedTags = {}) },
];

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'doctor-checks-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('doctor, one finding at a time', () => {
  it.each(CASES)('$name: $check is $status', async ({ name, check: checkId, status, alsoNotOk = [], change }) => {
    // Prepare
    const world = JSON.parse(await readFile(HEALTHY, 'utf8')) as JsonWorld;
    change(world);
    const file = join(dir, `${name.replace(/[^a-z]+/gi, '-')}.json`);
    await writeFile(file, JSON.stringify(world));

    // Act
    const run = await runCli(['doctor', '--world', file, '--compartment', APPS, '--function-id', FUNCTION_ID, '--json']);

    // Assess
    expect(run.stderr).toBe('');
    const report = JSON.parse(run.stdout) as { checks: Check[]; exitCode: number };
    expect(report.checks.find((check) => check.id === checkId)?.status).toBe(status);
    // Only the changed link breaks; where it takes others with it, the case names them.
    const others = report.checks.filter((check) => check.id !== checkId && check.status !== 'ok');
    expect(others.map((check) => `${check.id}=${check.status}`)).toEqual(alsoNotOk);
    // A failure exits 3 whatever else is found; warnings alone exit 0.
    const exitCode = status === 'fail' ? 3 : 0;
    expect(run.code).toBe(exitCode);
    expect(report.exitCode).toBe(exitCode);
  });
});
