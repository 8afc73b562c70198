/**
 * Every fix doctor prints must work as printed: an `oci …` fix is split as
 * bash would split it and put through the strict stand-in's argument check
 * (the facts of oci-cli 3.89.3 in test/fixtures/oci-cli-commands.json), a
 * policy statement parses as a statement and a matching rule as a rule.
 * The setups below break the healthy deployment so that every check that
 * prints a command does.
 */
import { INSTANCE_EVENT_TYPES, UPDATE_NODE_POOL_EVENT_TYPE } from '../../src/event/event-types';
import type { CheckResult } from '../../src/iam/doctor-model';
import { conditionMatches } from '../../src/iam/events-condition';
import { parseMatchingRule } from '../../src/iam/matching-rule-parser';
import { parsePolicyStatement } from '../../src/iam/policy-statement';
import type { MemoryAccessWorld } from '../helpers/memory-access-ports';
import { APPS, checksAfter, editStatements, FUNCTION_ID, KEY, NAMESPACE, WORKERS } from '../helpers/doctor-world';
import { shellWords } from '../helpers/shell-words';
import { checkOciArguments } from '../helpers/strict-oci';

type World = MemoryAccessWorld;

function editFunction(world: World, edit: (fn: World['functions'][number]) => World['functions'][number]): void {
  world.functions = world.functions.map(edit);
}

function editConfig(world: World, edit: (config: Record<string, string>) => Record<string, string>): void {
  editFunction(world, (fn) => ({ ...fn, config: edit({ ...fn.config }) }));
}

/** One broken deployment per check that prints an `oci` fix, and the checks that print policy statements and rules. */
const SETUPS: readonly (readonly [string, (world: World) => void])[] = [
  ['the tag namespace is missing', (world) => void (world.tagNamespaces = [])],
  [
    'the namespace and its key are retired',
    (world) =>
      void (world.tagNamespaces = world.tagNamespaces.map((ns) => ({ ...ns, isRetired: true, keys: [{ name: KEY, isRetired: true }] }))),
  ],
  ['the key is missing', (world) => void (world.tagNamespaces = world.tagNamespaces.map((ns) => ({ ...ns, keys: [] })))],
  ['the function writes another key', (world) => editConfig(world, (config) => ({ ...config, tag_name: 'other-key' }))],
  ['the function writes a cluster key the flags do not name', (world) => editConfig(world, (c) => ({ ...c, cluster_tag_name: 'c' }))],
  ['the function refuses reconcile', (world) => editConfig(world, (config) => ({ ...config, allow_reconcile: 'false' }))],
  ['the function runs dry', (world) => editConfig(world, (config) => ({ ...config, dry_run: 'true' }))],
  ['no group matches the function', (world) => void (world.dynamicGroups = world.dynamicGroups.filter((g) => !g.name.endsWith('-fn')))],
  [
    'a permission is missing',
    (world) => editStatements(world, 'oke-nodepool-tagger-fn', (statements) => statements.filter((s) => !s.includes('INSTANCE_UPDATE'))),
  ],
  [
    'a permission has a condition doctor does not evaluate',
    (world) =>
      editStatements(world, 'oke-nodepool-tagger-fn', (statements) =>
        statements.map((s) => (s.includes('read instances') ? `${s} where request.region = 'iad'` : s)),
      ),
  ],
  ['the instance rule is disabled', (world) => void (world.rules = world.rules.map((rule) => ({ ...rule, isEnabled: false })))],
  [
    "the instance rule's action is disabled",
    (world) =>
      void (world.rules = world.rules.map((rule) => ({ ...rule, actions: (rule.actions ?? []).map((a) => ({ ...a, isEnabled: false })) }))),
  ],
  ['no rule delivers the pool events', (world) => void (world.rules = world.rules.filter((rule) => rule.compartmentId !== APPS))],
  [
    'the Events policy is missing',
    (world) => void (world.policies = world.policies.filter((p) => p.name !== 'oke-nodepool-tagger-events')),
  ],
  [
    'the Events policy has a condition doctor does not evaluate',
    (world) =>
      editStatements(world, 'oke-nodepool-tagger-events', (statements) => statements.map((s) => `${s} where request.region = 'iad'`)),
  ],
  ['the schedule stops the function', (world) => void (world.schedules = world.schedules.map((s) => ({ ...s, action: 'STOP_RESOURCE' })))],
  ['the schedule is inactive', (world) => void (world.schedules = world.schedules.map((s) => ({ ...s, lifecycleState: 'INACTIVE' })))],
  [
    'the detached timeout is longer than the interval',
    (world) => editFunction(world, (fn) => ({ ...fn, detachedModeTimeoutInSeconds: 3600 })),
  ],
  [
    'no detached timeout is set',
    (world) =>
      editFunction(world, ({ detachedModeTimeoutInSeconds: _dropped, ...fn }) => {
        void _dropped;
        return fn;
      }),
  ],
  ['a pool has no group', (world) => void (world.dynamicGroups = world.dynamicGroups.filter((g) => g.name !== 'oke-pool-batch'))],
];

/** Every command doctor can print as a fix, by the words before its first option. */
const COMMANDS = [
  'events rule create',
  'events rule update',
  'fn function update',
  'iam dynamic-group create',
  'iam tag create',
  'iam tag reactivate',
  'iam tag-namespace create',
  'iam tag-namespace reactivate',
  'resource-scheduler schedule activate',
  'resource-scheduler schedule update',
];

interface Fix {
  readonly setup: string;
  readonly check: CheckResult;
}

let fixes: readonly Fix[] = [];

beforeAll(async () => {
  const found: Fix[] = [];
  for (const [setup, breakIt] of SETUPS) for (const check of await checksAfter(breakIt)) if (check.fix !== '') found.push({ setup, check });
  fixes = found;
});

const commandFixes = () => fixes.filter(({ check }) => check.fix.startsWith('oci '));

function argAfter(argv: readonly string[], flag: string): string {
  const value = argv[argv.indexOf(flag) + 1];
  if (!argv.includes(flag) || value === undefined) throw new Error(`no ${flag} in ${argv.join(' ')}`);
  return value;
}

/** The argv after `oci` of the fixes for `command`. */
function argvsOf(command: string): string[][] {
  return commandFixes()
    .map(({ check }) => shellWords(check.fix).slice(1))
    .filter((argv) => argv.join(' ').startsWith(`${command} `));
}

describe('the fixes doctor prints', () => {
  it('are accepted by the OCI CLI as printed, when they are oci commands', () => {
    // Act
    const refused = commandFixes().flatMap(({ setup, check }) => {
      let argv: string[];
      try {
        argv = shellWords(check.fix);
      } catch (error) {
        return [{ setup, check: check.id, fix: check.fix, problem: (error as Error).message }];
      }
      const answer = checkOciArguments(argv.slice(1));
      return answer.accepted ? [] : [{ setup, check: check.id, fix: check.fix, problem: answer.message }];
    });
    // Assess
    expect(refused).toEqual([]);
  });

  it('cover every command a check can print', () => {
    // Act
    const printed = new Set(commandFixes().map(({ check }) => shellWords(check.fix).slice(1, 4).join(' ')));
    // Assess
    expect(COMMANDS.filter((command) => ![...printed].some((words) => `${words} `.startsWith(`${command} `)))).toEqual([]);
    expect([...printed].every((words) => COMMANDS.some((command) => `${words} `.startsWith(`${command} `)))).toBe(true);
  });

  it('are either an oci command alone or prose with none inside, so that each command can be pasted whole', () => {
    // Act
    const hidden = fixes.filter(({ check }) => !check.fix.startsWith('oci ') && /\boci [a-z]/.test(check.fix));
    // Assess
    expect(hidden.map(({ check }) => check.fix)).toEqual([]);
  });

  it('print policy statements that parse as policy statements', () => {
    // Prepare
    const statements = fixes.flatMap(({ check }) => /(?:^|: )(Allow .+)$/.exec(check.fix)?.[1] ?? []);
    // Act
    const parsed = statements.map((text) => ({ text, kind: parsePolicyStatement(text).kind }));
    // Assess
    expect(statements.length).toBeGreaterThanOrEqual(3);
    expect(parsed.filter(({ kind }) => kind !== 'allow')).toEqual([]);
  });

  it('print matching rules that parse, as prose and as the --matching-rule of dynamic-group create', () => {
    // Prepare
    const prose = fixes.flatMap(({ check }) => /(?:^|: )((?:all|any) \{.+\})$/i.exec(check.fix)?.[1] ?? []);
    const created = argvsOf('iam dynamic-group create').map((argv) => argAfter(argv, '--matching-rule'));
    // Act
    const refused = [...prose, ...created].filter((rule) => !parseMatchingRule(rule).ok);
    // Assess
    expect(prose.length).toBeGreaterThan(0);
    expect(created.length).toBeGreaterThan(0);
    expect(refused).toEqual([]);
  });

  it('create an Events rule whose condition matches the events it is printed for', () => {
    // Prepare
    const [argv] = argvsOf('events rule create');
    if (argv === undefined) throw new Error('no events rule create fix');
    // Act
    const condition = argAfter(argv, '--condition');
    const actions = JSON.parse(argAfter(argv, '--actions')) as unknown;
    // Assess
    expect(argAfter(argv, '--compartment-id')).toBe(APPS);
    expect(conditionMatches(condition, UPDATE_NODE_POOL_EVENT_TYPE, APPS).answer).toBe(true);
    expect(actions).toEqual({ actions: [{ actionType: 'FAAS', functionId: FUNCTION_ID, isEnabled: true }] });
  });

  it("re-enable a rule's disabled action by replacing its actions, with --force", () => {
    // Prepare
    const updates = argvsOf('events rule update').filter((argv) => argv.includes('--actions'));
    // Act
    const actions = updates.map((argv) => JSON.parse(argAfter(argv, '--actions')) as unknown);
    // Assess
    expect(updates.length).toBeGreaterThan(0);
    for (const argv of updates) expect(argv).toContain('--force');
    for (const value of actions) expect(value).toEqual({ actions: [{ actionType: 'FAAS', functionId: FUNCTION_ID, isEnabled: true }] });
  });

  it("replace the function's whole config, keeping the keys that were right, with --force", () => {
    // Prepare
    const healthy = { tag_namespace: NAMESPACE, tag_name: KEY, compartment_id: APPS };
    const configs = Object.fromEntries(
      fixes
        .filter(({ check }) => check.id === 'function.config' && check.fix.startsWith('oci '))
        .map(({ setup, check }) => [setup, shellWords(check.fix).slice(1)] as const)
        .map(([setup, argv]) => [setup, { config: JSON.parse(argAfter(argv, '--config')) as unknown, force: argv.includes('--force') }]),
    );
    // Assess
    expect(configs).toEqual({
      'the function writes another key': { config: healthy, force: true },
      'the function writes a cluster key the flags do not name': { config: healthy, force: true },
      'the function refuses reconcile': { config: { ...healthy, allow_reconcile: 'true' }, force: true },
      'the function runs dry': { config: { ...healthy, dry_run: 'false' }, force: true },
    });
  });

  it("never print the values of config keys that are not this tool's own: the fix names what to change instead", async () => {
    // Prepare
    const checks = await checksAfter((world) =>
      editConfig(world, (config) => ({ ...config, tag_name: 'other-key', webhook_secret: 's3cret-value' })),
    );
    // Act
    const fix = checks.find((check) => check.id === 'function.config')?.fix ?? '';
    // Assess
    expect(fix).not.toContain('s3cret-value');
    expect(fix).not.toMatch(/^oci /);
    expect(fix).toContain(`set tag_name to "${KEY}"`);
    expect(fix).toContain('webhook_secret');
  });

  it('name the instance rule compartment and both instance event types when no rule delivers them', async () => {
    // Prepare
    const checks = await checksAfter((world) => void (world.rules = world.rules.filter((rule) => rule.compartmentId !== WORKERS)));
    const fix = checks.find((check) => check.id === `events.instances.${WORKERS}`)?.fix ?? '';
    // Act
    const argv = shellWords(fix).slice(1);
    // Assess
    expect(checkOciArguments(argv)).toEqual({ accepted: true, command: 'events rule create' });
    for (const eventType of INSTANCE_EVENT_TYPES)
      expect(conditionMatches(argAfter(argv, '--condition'), eventType, WORKERS).answer).toBe(true);
  });
});
