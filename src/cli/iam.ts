/**
 * `iam`: generates the least-privilege IAM and Events setup for the tagger
 * from the node pools it finds (embedded fake with --world, or the real OCI
 * API): the tag namespace and keys, one dynamic group per node pool (and per
 * cluster with --cluster-tag-name), the function's dynamic group and policy,
 * the Events rules and the policy that lets Events invoke the function, and
 * the scheduled reconcile with its rights and the function's detached timeout.
 * Discovery (src/iam/discover.ts) reads the pools through the ports; the
 * generation in src/iam/ is pure.
 */
import { INSTANCE_EVENT_TYPES, NODE_POOL_EVENT_TYPES } from '../event/event-types';
import { Deadline } from '../deadline';
import { TaggerError, UsageError } from '../errors';
import { PoolNameCollisionError, ScheduleSettingsError } from '../iam/errors';
import type { ReconcileScheduleSettings } from '../iam/model';
import { MAX_NAME_LENGTH, NAME_RULE } from '../iam/names';
import { discoverPools } from '../iam/discover';
import { planIam, type IamPlan } from '../iam/plan';
import { iamValueProblem } from '../iam/quote';
import { renderCliScript } from '../iam/render-cli';
import { renderTerraform } from '../iam/render-terraform';
import { renderTfvars, tfvarsWarnings } from '../iam/render-tfvars';
import { checkScheduleSettings, DEFAULT_DETACHED_TIMEOUT_SECONDS, DEFAULT_RECONCILE_CRON, DETACHED_TIMEOUT_RANGE } from '../iam/schedule';
import { ocidType } from '../ocid';
import { createCallScope } from '../call-scope';
import {
  cliLogger,
  EXIT,
  parseCommandArgs,
  stringValue,
  wholeNumberValue,
  type Io,
  type ParsedValues,
  TARGET_HELP,
  TARGET_OPTIONS,
  printHelp,
} from './common';
import { openTarget } from './target';

export const IAM_HELP = `Usage: oke-nodepool-tagger iam --compartment OCID... [options]

Prints a ready-to-run, least-privilege IAM and Events setup for the tagger,
built from the node pools found in the compartments:
  - the tag namespace and keys (created only when missing);
  - one dynamic group per node pool:
      All {instance.compartment.id = '<instances' compartment>', tag.<ns>.<key>.value = '<pool>'}
    and, with --cluster-tag-name, one per cluster;
  - the function's dynamic group: ALL {resource.type = 'fnfunc', resource.compartment.id = '…'[, resource.id = '…']}
    and its policy: read cluster-family, read instances, use instances only for
    INSTANCE_UPDATE, use tag-namespaces only for this namespace (never
    all-resources, never manage instance-family);
  - Events rules: ${INSTANCE_EVENT_TYPES.join(', ')}
    in each compartment that holds the pools' instances, and
    ${NODE_POOL_EVENT_TYPES.join(', ')}
    in each that holds pools (one rule per compartment), and the policy that
    lets the Events service invoke the function;
  - the scheduled reconcile: an OCI Resource Scheduler schedule that invokes
    the function (detached) with {"action":"reconcile",…,"apply":true,"prune":true},
    its dynamic group ALL {resource.type='resourceschedule', resource.id='…'}
    and policy, and the function's detached timeout (printed commented out
    without --function-id);
  - commented examples of grants for the pool groups, and a warning on who may
    use the tag namespace.

Options:
  --format cli|terraform|tfvars  a bash script of OCI CLI commands (default; safe
                            to re-run), Terraform for the OCI provider (a complete
                            configuration), or the inputs of the Terraform module in
                            deploy/terraform: the node_pool_groups map (pool and
                            cluster groups), the tag keys and the compartments
  --json                    print the plan (groups, rules, statements, warnings) as JSON
  --function-id OCID        the deployed function (ocid1.fnfunc…): narrows its dynamic
                            group to it and is the Events rules' action (the script
                            refuses a different FUNCTION_OCID)
  --function-compartment OCID  compartment of the function (default: the first --compartment)
  --tag-namespace-compartment OCID  compartment holding the tag namespace (default: the tenancy)
  --identity-domain NAME    name groups as '<domain>'/'<group>' in policy statements; a
                            domain other than Default gets its dynamic groups created
                            or updated through the domain's endpoint
                            (IDENTITY_DOMAIN_URL / var.identity_domain_url)
  --name-prefix PREFIX      first part of every generated name (default oke); use one
                            per region when deploying to several regions
  --skip-unsafe-names       leave out (with a warning) pools whose names cannot be
                            written safely, instead of refusing
  --reconcile-schedule CRON|none  when the scheduled reconcile runs: a five-field
                            cron expression, UTC (default "${DEFAULT_RECONCILE_CRON}", hourly), or
                            none to leave the schedule out
  --detached-timeout SECONDS  the function's detached timeout, ${DETACHED_TIMEOUT_RANGE.min}-${DETACHED_TIMEOUT_RANGE.max}
                            (default ${DEFAULT_DETACHED_TIMEOUT_SECONDS}); must be shorter than the time between
                            two runs of the schedule, so that runs never overlap
  --world FILE              discover node pools in a world file on the embedded fake
  --verbose                 log progress as JSON lines on stderr
  --timeout SECONDS         time limit for discovery, 1-300 (timeout_seconds; default 300)
  -h, --help                show this help

${TARGET_HELP}

Names and quoting:
  Generated names use ${NAME_RULE}.
  A name that had to change to fit ends with a 6-character hash of the original;
  names that still collide (compared without regard to case) get a hash of the
  pool OCID. Limit: ${MAX_NAME_LENGTH} characters. Pool and cluster names are written
  inside single quotes; IAM has no escape, so a name holding ' or \\ or a control
  character (or over 256 characters) is refused (exit 1) unless --skip-unsafe-names.

Same-named node pools:
  Pool names are unique only within a cluster. When two pools in the scope share
  a name, their rules must also match the cluster tag: without --cluster-tag-name
  the command refuses (exit 2) and says so; with it, the colliding pools' rules
  get "tag.<ns>.<cluster key>.value = '<cluster>'" and a WARNING is printed.
  Set the function's cluster_tag_name config key to the same key.

Examples:
  oke-nodepool-tagger iam --world examples/world.json --compartment ocid1.compartment.oc1..aaaa
  oke-nodepool-tagger iam --compartment ocid1.compartment.oc1..aaaa --function-id ocid1.fnfunc.oc1.iad.aaaa > iam-setup.sh
  TENANCY_OCID=ocid1.tenancy.oc1..aaaa bash iam-setup.sh
  oke-nodepool-tagger iam --compartment ocid1.compartment.oc1..aaaa --cluster-tag-name oke-cluster-name --format terraform > iam.tf
  oke-nodepool-tagger iam --compartment ocid1.compartment.oc1..aaaa --format tfvars > node-pools.auto.tfvars
  oke-nodepool-tagger iam --compartment ocid1.compartment.oc1..aaaa --identity-domain Default --profile PROD
  oke-nodepool-tagger iam --compartment ocid1.compartment.oc1..aaaa --function-id ocid1.fnfunc.oc1.iad.aaaa --reconcile-schedule '*/30 * * * *' --detached-timeout 1200

Exit codes: 0 printed, 1 an API or file error, a name that cannot be written
safely, or the wrong scope (no node pool found in the compartments, or
instances naming pools outside them; the setup is still printed), 2 bad usage (including same-named pools without --cluster-tag-name, and
a detached timeout not shorter than the schedule's interval).`;

export const IAM_OPTIONS = {
  ...TARGET_OPTIONS,
  format: { type: 'string' },
  json: { type: 'boolean' },
  'function-id': { type: 'string' },
  'function-compartment': { type: 'string' },
  'tag-namespace-compartment': { type: 'string' },
  'identity-domain': { type: 'string' },
  'name-prefix': { type: 'string' },
  'skip-unsafe-names': { type: 'boolean' },
  'reconcile-schedule': { type: 'string' },
  'detached-timeout': { type: 'string' },
} as const;

/** Tag namespace and key names go unquoted into `tag.<ns>.<key>.value`, so only these characters are accepted here. */
const RULE_IDENTIFIER = /^[A-Za-z0-9_-]{1,100}$/;

function compartmentFlag(values: ParsedValues, flag: string): string | undefined {
  const value = stringValue(values, flag);
  if (value === undefined) return undefined;
  const type = ocidType(value);
  if (type !== 'compartment' && type !== 'tenancy')
    throw new UsageError(`iam: --${flag}: "${value.slice(0, 120)}" is not a compartment or tenancy OCID`);
  return value;
}

type OutputFormat = 'cli' | 'terraform' | 'tfvars';
const OUTPUT_FORMATS: readonly OutputFormat[] = ['cli', 'terraform', 'tfvars'];

function isOutputFormat(value: string): value is OutputFormat {
  return (OUTPUT_FORMATS as readonly string[]).includes(value);
}

interface IamSettings {
  readonly format: OutputFormat;
  readonly functionId: string | undefined;
  readonly functionCompartment: string | undefined;
  readonly tagNamespaceCompartment: string | undefined;
  readonly identityDomain: string | undefined;
  readonly namePrefix: string;
  readonly reconcileSchedule: ReconcileScheduleSettings | 'none';
}

/** The schedule flags, checked: a cron expression (or none) and a detached timeout shorter than its interval. */
function scheduleSettings(values: ParsedValues): ReconcileScheduleSettings | 'none' {
  const cron = stringValue(values, 'reconcile-schedule') ?? DEFAULT_RECONCILE_CRON;
  const { min, max } = DETACHED_TIMEOUT_RANGE;
  const detachedTimeoutSeconds = wholeNumberValue(values, 'iam', 'detached-timeout', DEFAULT_DETACHED_TIMEOUT_SECONDS, min, max);
  if (cron.trim() === 'none') {
    if (stringValue(values, 'detached-timeout') !== undefined)
      throw new UsageError('iam: --detached-timeout has nothing to apply to with --reconcile-schedule none');
    return 'none';
  }
  const settings = { cron, detachedTimeoutSeconds };
  try {
    checkScheduleSettings(settings);
  } catch (error) {
    if (error instanceof ScheduleSettingsError)
      throw new UsageError(
        `iam: --reconcile-schedule "${cron.slice(0, 60)}" with --detached-timeout ${detachedTimeoutSeconds}: ${error.message}`,
      );
    throw error;
  }
  return settings;
}

/** Validates the iam-specific flags; each error names its flag. */
function readSettings(values: ParsedValues): IamSettings {
  const format = stringValue(values, 'format') ?? 'cli';
  if (!isOutputFormat(format)) throw new UsageError(`iam: --format: "${format.slice(0, 40)}" is not one of ${OUTPUT_FORMATS.join(', ')}`);
  if (values.json && stringValue(values, 'format') !== undefined)
    throw new UsageError('iam: --json and --format contradict each other (--json prints the plan, --format a setup)');
  const functionId = stringValue(values, 'function-id');
  if (functionId !== undefined && ocidType(functionId) !== 'fnfunc')
    throw new UsageError(`iam: --function-id: "${functionId.slice(0, 120)}" is not a function OCID (ocid1.fnfunc…)`);
  const identityDomain = stringValue(values, 'identity-domain');
  if (identityDomain !== undefined) {
    const problem = identityDomain.includes('/') ? 'it contains a slash' : iamValueProblem(identityDomain);
    if (problem !== undefined || identityDomain.length > 100)
      throw new UsageError(
        `iam: --identity-domain: "${identityDomain.slice(0, 60)}" cannot be quoted in a policy statement: ${problem ?? 'it is over 100 characters'}`,
      );
  }
  const namePrefix = stringValue(values, 'name-prefix') ?? 'oke';
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,29}$/.test(namePrefix))
    throw new UsageError(
      `iam: --name-prefix: "${namePrefix.slice(0, 40)}" must be 1-30 letters, digits, _ . - and start with a letter or digit`,
    );
  if (format === 'tfvars' && identityDomain !== undefined && identityDomain.toLowerCase() !== 'default')
    throw new UsageError(
      `iam: --format tfvars: the Terraform module creates dynamic groups in the Default identity domain only, not in "${identityDomain.slice(0, 60)}"; use --format terraform or cli`,
    );
  return {
    format,
    functionId,
    functionCompartment: compartmentFlag(values, 'function-compartment'),
    tagNamespaceCompartment: compartmentFlag(values, 'tag-namespace-compartment'),
    identityDomain,
    namePrefix,
    reconcileSchedule: scheduleSettings(values),
  };
}

/** The command that finds instances carrying the tag without belonging to the pool, for the closing warning. */
function reconcileCommand(compartmentIds: readonly string[]): string {
  return `oke-nodepool-tagger reconcile ${compartmentIds.map((id) => `--compartment ${id}`).join(' ')} --prune`;
}

/** Renders `plan` in the chosen format (or as JSON). */
export function renderPlan(plan: IamPlan, format: OutputFormat | 'json'): string {
  if (format === 'json') return `${JSON.stringify(plan, null, 2)}\n`;
  if (format === 'tfvars') return renderTfvars(plan);
  const reconcile = reconcileCommand(plan.compartmentIds);
  return format === 'terraform' ? renderTerraform(plan, reconcile) : renderCliScript(plan, reconcile);
}

/** Runs `iam`. Returns the exit code. */
export async function runIam(args: readonly string[], io: Io): Promise<number> {
  const { values } = parseCommandArgs('iam', args, IAM_OPTIONS, false);
  if (values.help) return printHelp(io, IAM_HELP);
  const settings = readSettings(values);
  const worldFile = stringValue(values, 'world');
  let target;
  try {
    target = await openTarget(values, io, { timeout_seconds: stringValue(values, 'timeout') ?? io.env.timeout_seconds ?? '300' });
  } catch (error) {
    if (worldFile !== undefined && (error as { code?: unknown }).code === 'ENOENT')
      throw new TaggerError(`iam: --world: cannot read world file ${worldFile}: no such file`, { cause: error });
    throw error;
  }
  try {
    const { config } = target;
    if (config.compartmentIds.length === 0)
      throw new UsageError('iam: name at least one --compartment OCID (the compartments whose node pools get dynamic groups)');
    for (const [flag, name] of [
      ['--tag-namespace', config.tagNamespace],
      ['--tag-name', config.tagName],
      ['--cluster-tag-name', config.clusterTagName],
    ] as const) {
      if (name !== undefined && !RULE_IDENTIFIER.test(name))
        throw new UsageError(
          `iam: ${flag}: "${name}" cannot appear in a matching rule (tag.<namespace>.<key>.value); use only letters, digits, _ and -`,
        );
    }
    const logger = cliLogger(io, values.verbose === true);
    const scope = createCallScope({ deadline: Deadline.inSeconds(config.timeoutSeconds), logger });
    const scopeWarnings: string[] = [];
    const pools = await discoverPools(
      await target.createPorts(scope),
      config.compartmentIds,
      (message) => logger.log('info', message),
      (warning) => scopeWarnings.push(warning),
    );
    let plan: IamPlan;
    try {
      plan = planIam({
        tagNamespace: config.tagNamespace,
        tagName: config.tagName,
        clusterTagName: config.clusterTagName,
        compartmentIds: config.compartmentIds,
        functionId: settings.functionId,
        functionCompartmentId: settings.functionCompartment ?? (config.compartmentIds[0] as string),
        tagNamespaceCompartmentId: settings.tagNamespaceCompartment,
        identityDomain: settings.identityDomain,
        namePrefix: settings.namePrefix,
        skipUnsafeNames: values['skip-unsafe-names'] === true,
        pools,
        reconcileSchedule: settings.reconcileSchedule,
      });
    } catch (error) {
      if (error instanceof PoolNameCollisionError) {
        io.err(`WARNING: same-named node pools in the scope.\n`);
        throw new UsageError(`iam: ${error.message}`);
      }
      if (error instanceof ScheduleSettingsError) throw new UsageError(`iam: --reconcile-schedule: ${error.message}`);
      throw error;
    }
    if (pools.length === 0)
      io.err(`WARNING: no node pools found in ${config.compartmentIds.join(', ')}; only the function's setup is generated.\n`);
    const planWarnings = settings.format === 'tfvars' && !values.json ? tfvarsWarnings(plan) : plan.warnings;
    for (const warning of [...scopeWarnings, ...planWarnings]) io.err(`WARNING: ${warning}\n`);
    io.out(renderPlan(plan, values.json ? 'json' : settings.format));
    // No pool at all, or nodes of pools outside the scope, is what the wrong compartments look like: the setup is printed, but the run is not a success.
    return pools.length === 0 || scopeWarnings.length > 0 ? EXIT.error : EXIT.ok;
  } finally {
    await target.close();
  }
}
