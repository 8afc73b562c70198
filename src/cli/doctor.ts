/**
 * `doctor`: checks a deployment end to end, read-only, against the live
 * tenancy or a world file: the tag namespace and keys, the function and its
 * config, its dynamic group and rights, the Events rules and the policy
 * that lets Events invoke it, the scheduled reconcile, the pools' groups,
 * who else can tag, and a reconcile dry run of the nodes. The checks live
 * in src/iam/doctor*.ts; this wires them to the target and prints them.
 */
import { createCallScope } from '../call-scope';
import { Deadline } from '../deadline';
import { UsageError } from '../errors';
import { doctor, type DoctorReport } from '../iam/doctor';
import type { Logger } from '../log';
import { ocidType } from '../ocid';
import { reconcileWith } from '../use-cases';
import { createAccessPorts } from './access-target';
import {
  cliLogger,
  listValue,
  parseCommandArgs,
  printHelp,
  stringValue,
  wholeNumberValue,
  TARGET_HELP,
  TARGET_OPTIONS,
  type Io,
  type OptionSpec,
  type ParsedValues,
} from './common';
import { printDoctorReport } from './doctor-output';
import { ACCESS_HELP, ACCESS_OPTIONS, accessTargetOptions } from './access-options';
import { openTarget, type Target } from './target';

export const DOCTOR_HELP = `Usage: oke-nodepool-tagger doctor --compartment OCID... --function-id OCID [options]

Checks a deployment end to end, reading only. One line per check: ok, warn,
fail or unknown (it could not look; the line names the read grant it lacks),
what was found, and how to fix it:
  tags        the tag namespace and keys exist and are not retired
  function    the function exists; its config keys are valid and agree with
              --tag-namespace, --tag-name and --cluster-tag-name
  rights      a dynamic group matches the function, and policies grant it each
              permission "iam" prints, where the pools and their nodes are
  events      an enabled rule delivers launchinstance.end and updateinstance for
              each instance compartment, and updatenodepool.end for each pool
              compartment (in it or an ancestor), to the function; no event
              twice; the policy that lets Events invoke the function
  schedule    the scheduled reconcile exists and is active, its body names both
              compartment kinds, and the detached timeout is shorter than its interval
  pool groups each node pool has a dynamic group of its own matching its tagged nodes
  who can tag others who may use the tag namespace, and groups matching the tag
              in any compartment (warnings)
  nodes       the counts of a reconcile dry run: tag, fix, prune, unknown

Options:
  --function-id OCID        the deployed function (FUNCTION_OCID; required)
  --schedule-compartment OCID  where to look for the schedule; repeatable (default:
                            the function's compartment and the --compartment list)
${ACCESS_HELP}
  --json                    print the checks as one JSON document
  --world FILE              check a world file on the embedded fake
  --verbose                 log progress as JSON lines on stderr
  --timeout SECONDS         time limit, 1-3600 (default 300)
  -h, --help                show this help

${TARGET_HELP}

Read-only grants doctor needs: see the README, "Check a deployment: doctor".

Examples:
  oke-nodepool-tagger doctor --compartment ocid1.compartment.oc1..aaaa --function-id ocid1.fnfunc.oc1.iad.aaaa
  oke-nodepool-tagger doctor --world world.json --compartment ocid1.compartment.oc1..aaaa --function-id ocid1.fnfunc.oc1.iad.aaaa --json

Exit codes: 0 no check failed and none is unknown (warnings allowed), 1 a check
is unknown (or an API or file error), 2 bad usage, 3 a check failed.`;

const DOCTOR_OPTIONS: OptionSpec = {
  ...TARGET_OPTIONS,
  'function-id': { type: 'string' },
  'schedule-compartment': { type: 'string', multiple: true },
  ...ACCESS_OPTIONS,
  json: { type: 'boolean' },
};

function compartmentList(values: ParsedValues, flag: string): string[] {
  const ids = listValue(values, flag);
  const bad = ids.find((id) => ocidType(id) !== 'compartment' && ocidType(id) !== 'tenancy');
  if (bad !== undefined) throw new UsageError(`doctor: --${flag} "${bad.slice(0, 120)}" is not a compartment or tenancy OCID`);
  return [...new Set(ids)];
}

/** What one doctor run over a target needs besides the target. */
export interface DoctorRun {
  readonly functionId: string;
  readonly scheduleCompartmentIds?: readonly string[] | undefined;
  readonly tenancyId?: string | undefined;
  readonly identityDomainUrls?: readonly string[];
  readonly timeoutSeconds: number;
  readonly logger: Logger;
  readonly onProgress?: (message: string) => void;
}

/**
 * The one wiring of doctor over a target: the access ports, the target's
 * configuration as the settings, and the reconcile dry run through
 * `reconcileWith`, as the `reconcile` command runs it. The bench runs this too.
 */
export async function doctorOverTarget(target: Target, run: DoctorRun): Promise<DoctorReport> {
  const { config } = target;
  const scope = createCallScope({ deadline: Deadline.inSeconds(run.timeoutSeconds), logger: run.logger });
  const ports = await createAccessPorts(target, scope, {
    tenancyId: run.tenancyId,
    ...(run.identityDomainUrls === undefined ? {} : { identityDomainUrls: run.identityDomainUrls }),
  });
  return doctor(
    ports,
    {
      tagNamespace: config.tagNamespace,
      tagName: config.tagName,
      clusterTagName: config.clusterTagName,
      compartmentIds: config.compartmentIds,
      functionId: run.functionId,
      ...(run.scheduleCompartmentIds === undefined || run.scheduleCompartmentIds.length === 0
        ? {}
        : { scheduleCompartmentIds: run.scheduleCompartmentIds }),
    },
    {
      dryRun: (watched, shared) =>
        reconcileWith(config, shared, scope, {
          runner: 'cli',
          poolCompartmentIds: config.compartmentIds,
          instanceCompartmentIds: [...new Set([...config.compartmentIds, ...watched.instanceCompartmentIds])],
          apply: false,
          prune: true,
        }),
      ...(run.onProgress === undefined ? {} : { onProgress: run.onProgress }),
    },
  );
}

/** Runs `doctor`. Returns the exit code. */
export async function runDoctor(args: readonly string[], io: Io): Promise<number> {
  const { values } = parseCommandArgs('doctor', args, DOCTOR_OPTIONS, false);
  if (values.help) return printHelp(io, DOCTOR_HELP);
  const functionId = stringValue(values, 'function-id') ?? (io.env.FUNCTION_OCID ?? '').trim();
  if (functionId === '') throw new UsageError('doctor: name the function with --function-id OCID (or FUNCTION_OCID)');
  if (ocidType(functionId) !== 'fnfunc')
    throw new UsageError(`doctor: --function-id: "${functionId.slice(0, 120)}" is not a function OCID (ocid1.fnfunc…)`);
  const { tenancyId, identityDomainUrls } = accessTargetOptions(values, 'doctor');
  const scheduleCompartmentIds = compartmentList(values, 'schedule-compartment');
  const timeoutSeconds = wholeNumberValue(values, 'doctor', 'timeout', 300, 1, 3600);
  const target = await openTarget({ ...values, timeout: undefined }, io);
  try {
    if (target.config.compartmentIds.length === 0)
      throw new UsageError('doctor: name at least one --compartment OCID (the compartments that hold the node pools)');
    const logger = cliLogger(io, values.verbose === true);
    const report = await doctorOverTarget(target, {
      functionId,
      scheduleCompartmentIds,
      tenancyId,
      identityDomainUrls,
      timeoutSeconds,
      logger,
      onProgress: (message) => {
        logger.log('info', message);
        if (io.errIsTty === true && values.json !== true) io.err(`doctor: ${message}\n`);
      },
    });
    printDoctorReport(io, report.checks, report.exitCode, values.json === true);
    return report.exitCode;
  } finally {
    await target.close();
  }
}
