/**
 * Runs the generated bash script against a fake `oci` on PATH that records
 * its arguments, to prove the shell quoting hands OCI exactly the rules and
 * statements of the plan (quotes, braces, Unicode and all), and that a second
 * run updates instead of creating.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { planIam, type IamInput } from '../../src/iam/plan';
import { renderCliScript } from '../../src/iam/render-cli';

const WORKERS = 'ocid1.compartment.oc1..aaaaaaaaworkers';
const FUNCTION_ID = 'ocid1.fnfunc.oc1.iad.aaaaaaaafunction';

const INPUT: IamInput = {
  tagNamespace: 'oke-nodepool-tags',
  tagName: 'oke-nodepool-name',
  clusterTagName: 'oke-cluster-name',
  compartmentIds: [WORKERS],
  functionId: FUNCTION_ID,
  functionCompartmentId: WORKERS,
  tagNamespaceCompartmentId: undefined,
  identityDomain: undefined,
  namePrefix: 'oke',
  skipUnsafeNames: false,
  pools: [
    {
      id: 'ocid1.nodepool.oc1.iad.aaaaaaaa1',
      name: 'say "hi" {x}, $(date) `id` données 日本',
      clusterId: 'ocid1.cluster.oc1.iad.aaaaaaaa1',
      clusterName: 'prod eu',
      compartmentId: WORKERS,
      nodeCompartmentIds: [WORKERS],
    },
    {
      id: 'ocid1.nodepool.oc1.iad.aaaaaaaa2',
      name: 'apps',
      clusterId: 'ocid1.cluster.oc1.iad.aaaaaaaa1',
      clusterName: 'prod eu',
      compartmentId: WORKERS,
      nodeCompartmentIds: [WORKERS],
    },
  ],
};

/** A fake `oci`: appends its argv as one JSON line; `list` answers with $FAKE_LIST_ANSWER, `tag-namespace create` with an OCID. */
const FAKE_OCI = `#!/usr/bin/env node
const fs = require('node:fs');
const args = process.argv.slice(2);
fs.appendFileSync(process.env.FAKE_OCI_LOG, JSON.stringify(args) + '\\n');
if (args.includes('list')) process.stdout.write(process.env.FAKE_LIST_ANSWER || '');
else if (args[1] === 'tag-namespace' && args[2] === 'create') process.stdout.write('ocid1.tagnamespace.oc1..aaaaaaaafake');
else if (args[1] === 'tag' && args[2] === 'get') process.exit(process.env.FAKE_LIST_ANSWER ? 0 : 1);
`;

function runScript(listAnswer: string): string[][] {
  const dir = mkdtempSync(join(tmpdir(), 'iam-script-'));
  try {
    writeFileSync(join(dir, 'oci'), FAKE_OCI);
    chmodSync(join(dir, 'oci'), 0o755);
    const script = renderCliScript(planIam(INPUT), 'oke-nodepool-tagger reconcile --prune');
    const log = join(dir, 'calls.jsonl');
    writeFileSync(log, '');
    const result = spawnSync('bash', ['-c', script], {
      encoding: 'utf8',
      env: {
        PATH: `${dir}:${process.env.PATH ?? ''}`,
        TENANCY_OCID: 'ocid1.tenancy.oc1..aaaaaaaatenancy',
        FAKE_OCI_LOG: log,
        FAKE_LIST_ANSWER: listAnswer,
      },
    });
    if (result.status !== 0) throw new Error(`script failed (${result.status}): ${result.stderr}`);
    return readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as string[]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function argAfter(call: readonly string[], flag: string): string | undefined {
  const index = call.indexOf(flag);
  return index < 0 ? undefined : call[index + 1];
}

describe('the generated OCI CLI script', () => {
  it('hands the OCI CLI exactly the planned matching rules, statements and Events condition', () => {
    // Prepare
    const plan = planIam(INPUT);
    // Act
    const calls = runScript('');
    // Assess
    const rules = calls
      .filter((call) => call[1] === 'dynamic-group' && call[2] === 'create')
      .map((call) => argAfter(call, '--matching-rule'));
    expect(rules).toEqual(plan.dynamicGroups.map((group) => group.matchingRule));
    const statements = calls
      .filter((call) => call[1] === 'policy' && call[2] === 'create')
      .map((call) => JSON.parse(argAfter(call, '--statements') ?? '[]') as string[]);
    expect(statements).toEqual(plan.policies.map((policy) => policy.statements));
    const rule = calls.find((call) => call[0] === 'events' && call[2] === 'create') ?? [];
    expect(argAfter(rule, '--condition')).toBe(plan.eventsRules[0]?.conditionJson);
    expect(JSON.parse(argAfter(rule, '--actions') ?? '{}')).toEqual({
      actions: [{ actionType: 'FAAS', functionId: FUNCTION_ID, isEnabled: true }],
    });
  });

  it('creates the tag namespace and keys only when they are missing', () => {
    // Prepare: the first run finds nothing, the second finds everything.
    // Act
    const first = runScript('');
    const second = runScript('ocid1.something.oc1..aaaaaaaaexists');
    // Assess
    const creates = (calls: string[][]) => calls.filter((call) => call.includes('create')).map((call) => `${call[0]} ${call[1]}`);
    expect(creates(first)).toEqual(expect.arrayContaining(['iam tag-namespace', 'iam tag']));
    expect(creates(second)).toEqual([]);
    expect(second.filter((call) => call.includes('update')).length).toBeGreaterThan(0);
  });
});
