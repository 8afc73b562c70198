/**
 * doctor's function checks: the function exists and is active, and its
 * config keys are valid (the function's own loader reads them) and agree
 * with the flags doctor was given: the namespace, the pool key and the
 * cluster key. A function that writes another key than the groups match
 * leaves every node outside its pool's group.
 */
import { ConfigError } from '../errors';
import { CONFIG_KEYS, loadConfig } from '../config';
import { check, unknownCheck, type CheckResult, type DoctorFacts } from './doctor-model';
import { shellCommand } from './quote';

const EXISTS_TITLE = 'the function';
const CONFIG_TITLE = "the function's config";

/**
 * How to give the function `config` with `changes` applied (a key set to
 * `undefined` is removed). `--config` replaces the whole map, so the command
 * carries every key the function has, and `--force` answers the CLI's prompt
 * about replacing it (functionsmanagement_cli.py, update_function). Keys
 * that are not this tool's own may hold secrets, which doctor never prints:
 * when the config has any, the fix says what to change instead of printing
 * the command.
 */
function configUpdate(
  functionId: string,
  config: Readonly<Record<string, string>>,
  changes: Readonly<Record<string, string | undefined>>,
): string {
  const foreign = Object.keys(config).filter((key) => !(CONFIG_KEYS as readonly string[]).includes(key));
  if (foreign.length > 0) {
    const edits = Object.entries(changes).map(([key, value]) =>
      value === undefined ? `remove ${key}` : `set ${key} to ${JSON.stringify(value)}`,
    );
    return `in the function's configuration (Console: the function's Configuration page), ${edits.join(', ')}, keeping its other keys (${foreign.join(', ')}); the CLI's --config replaces the whole map, so doctor does not print it with their values`;
  }
  const kept = Object.entries(config).filter(([key]) => !Object.hasOwn(changes, key));
  const set = Object.entries(changes).flatMap(([key, value]) => (value === undefined ? [] : [[key, value] as const]));
  const updated = Object.fromEntries([...kept, ...set]);
  return shellCommand(['oci', 'fn', 'function', 'update', '--function-id', functionId, '--config', JSON.stringify(updated), '--force']);
}

/** The function's existence and config checks. */
export function checkFunction(facts: DoctorFacts): CheckResult[] {
  const { settings } = facts;
  const read = facts.fn;
  if (!read.ok) {
    return [unknownCheck('function.exists', EXISTS_TITLE, [read.unread]), unknownCheck('function.config', CONFIG_TITLE, [read.unread])];
  }
  const fn = read.value;
  if (fn === undefined) {
    return [
      check(
        'function.exists',
        EXISTS_TITLE,
        'fail',
        `GetFunction ${settings.functionId} answered 404: the function does not exist, or the reader may not read it (read fn-function)`,
        'deploy the function (fn deploy), or pass the right --function-id',
      ),
      check('function.config', CONFIG_TITLE, 'fail', 'no function to read the config of', 'deploy the function first'),
    ];
  }
  const state = fn.lifecycleState ?? 'ACTIVE';
  const exists =
    state === 'ACTIVE'
      ? check('function.exists', EXISTS_TITLE, 'ok', `${fn.displayName} (${fn.id}) is ACTIVE`)
      : check('function.exists', EXISTS_TITLE, 'fail', `${fn.displayName} (${fn.id}) is ${state}`, 'redeploy the function (fn deploy)');
  return [exists, checkConfig(facts, fn.id, fn.config)];
}

function checkConfig(facts: DoctorFacts, functionId: string, config: Readonly<Record<string, string>>): CheckResult {
  const { settings } = facts;
  let loaded;
  try {
    loaded = loadConfig(config);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return check(
      'function.config',
      CONFIG_TITLE,
      'fail',
      `config key ${error.key} is invalid: ${error.message}`,
      `fix ${error.key} in the function's config`,
    );
  }
  const disagreements: { key: string; theirs: string | undefined; ours: string | undefined }[] = [];
  const compare = (key: string, theirs: string | undefined, ours: string | undefined) => {
    if ((theirs ?? '').toLowerCase() !== (ours ?? '').toLowerCase()) disagreements.push({ key, theirs, ours });
  };
  compare('tag_namespace', loaded.tagNamespace, settings.tagNamespace);
  compare('tag_name', loaded.tagName, settings.tagName);
  compare('cluster_tag_name', loaded.clusterTagName, settings.clusterTagName);
  if (disagreements.length > 0) {
    const found = disagreements.map(
      (d) =>
        `${d.key} is ${d.theirs === undefined ? 'unset' : `"${d.theirs}"`}, the flags say ${d.ours === undefined ? 'unset' : `"${d.ours}"`}`,
    );
    return check(
      'function.config',
      CONFIG_TITLE,
      'fail',
      `${found.join('; ')}: the function writes other tags than the groups match`,
      configUpdate(functionId, config, Object.fromEntries(disagreements.map((d) => [d.key, d.ours]))),
    );
  }
  if (!loaded.allowReconcile)
    return check(
      'function.config',
      CONFIG_TITLE,
      'fail',
      'allow_reconcile is false: the function refuses the scheduled reconcile',
      configUpdate(functionId, config, { allow_reconcile: 'true' }),
    );
  if (loaded.dryRun)
    return check(
      'function.config',
      CONFIG_TITLE,
      'warn',
      'dry_run is true: the function plans but never writes a tag',
      configUpdate(functionId, config, { dry_run: 'false' }),
    );
  return check(
    'function.config',
    CONFIG_TITLE,
    'ok',
    `valid; tag_namespace ${loaded.tagNamespace}, tag_name ${loaded.tagName}, cluster_tag_name ${loaded.clusterTagName ?? 'unset'}, as the flags say`,
  );
}
