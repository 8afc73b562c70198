/**
 * `explain INSTANCE_OCID`: what one node can do in the tenancy, and why.
 * Read-only; it runs the function's own decision in dry run and reads the
 * tenancy's compartments, dynamic groups and policies.
 */
import { createCallScope } from '../call-scope';
import { Deadline } from '../deadline';
import { UsageError } from '../errors';
import { explainInstance } from '../iam/explain';
import { isOcid } from '../ocid';
import {
  cliLogger,
  EXIT,
  parseCommandArgs,
  printHelp,
  TARGET_HELP,
  TARGET_OPTIONS,
  wholeNumberValue,
  type Io,
  type OptionSpec,
} from './common';
import { ACCESS_HELP, ACCESS_OPTIONS, accessTargetOptions } from './access-options';
import { createAccessPorts } from './access-target';
import { renderExplain } from './explain-output';
import { openTarget } from './target';

export const EXPLAIN_HELP = `Usage: oke-nodepool-tagger explain INSTANCE_OCID [options]

Explains one node's access, in four sections:
  1. the instance: its name, compartment, state and OKE hints, and its node pool
     and cluster as the function verifies them (the pool's nodes list); if it is
     in no pool, why
  2. our tags: expected against actual, and what the function would do now for
     an updateinstance event (tag, fix, remove, report, none or unknown)
  3. the dynamic groups whose matching rules match it now, or would once its
     tags are right (or would stop matching: an impostor), each with its rule;
     a rule that does not parse is shown with the position of the error
  4. every policy statement in any compartment of the tenancy that names those
     groups (by name, with or without an identity domain, or by OCID), with its
     policy and compartment path; then the any-user and any-group statements
     (a condition it cannot evaluate is "may apply; condition not evaluated";
     one that rules out an instance principal is left out), the statements
     naming groups of identity domains that were not read ("may apply; the
     group's domain was not read"), and the statements that do not parse but
     could concern it, with the parse error; those last two make the answer
     incomplete

It never writes. Membership and the action come from the function's own code
(run in dry run, with impostor_action, membership_grace_minutes and
compartment_id from the environment). Anything that could not be read is
listed and makes the answers built on it unknown.

Calls: the membership reads (GetInstance, GetNodePool; when its oke-pool-id
does not hold, GetCluster, ListNodePools and GetNodePool per pool), at most one
GetCluster, the pages of ListCompartments over the tenancy's subtree, the
pages of ListPolicies for the tenancy and each compartment, and the pages of
ListDynamicGroups; with --identity-domain-url, the pages of ListDomains (once)
and of each named domain's dynamic resource groups.

Options:
${ACCESS_HELP}
  --json                    print one JSON object instead of text
  --timeout SECONDS         time limit for the run, 1-3600 (default 300)
  --world FILE              run against a world file on the embedded fake
  --verbose                 log retries as JSON lines on stderr
  -h, --help                show this help

${TARGET_HELP}

Examples:
  oke-nodepool-tagger explain ocid1.instance.oc1.iad.aaaa
  oke-nodepool-tagger explain ocid1.instance.oc1.iad.aaaa --identity-domain-url https://idcs-0123.identity.oraclecloud.com --json

Exit codes: 0 everything was read and decided; 1 something is unknown or could
not be read (the report is still printed); 2 bad usage.`;

const EXPLAIN_OPTIONS: OptionSpec = {
  ...TARGET_OPTIONS,
  ...ACCESS_OPTIONS,
  json: { type: 'boolean' },
};

/** Runs `explain`. Returns the exit code. */
export async function runExplain(args: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs('explain', args, EXPLAIN_OPTIONS, true);
  if (values.help) return printHelp(io, EXPLAIN_HELP);
  if (positionals.length !== 1) throw new UsageError('explain: name exactly one INSTANCE_OCID (see --help)');
  const instanceId = positionals[0] ?? '';
  if (!isOcid(instanceId, 'instance')) throw new UsageError(`explain: "${String(positionals[0]).slice(0, 120)}" is not an instance OCID`);
  const access = accessTargetOptions(values, 'explain');
  const timeoutSeconds = wholeNumberValue(values, 'explain', 'timeout', 300, 1, 3600);

  const target = await openTarget({ ...values, timeout: undefined }, io);
  try {
    const scope = createCallScope({ deadline: Deadline.inSeconds(timeoutSeconds), logger: cliLogger(io, values.verbose === true) });
    const ports = await createAccessPorts(target, scope, access);
    const onProgress = io.errIsTty === true ? (message: string) => io.err(`explain: ${message}\n`) : undefined;
    const result = await explainInstance(ports, instanceId, { config: target.config, scope, ...(onProgress ? { onProgress } : {}) });
    io.out(values.json === true ? `${JSON.stringify(result, null, 2)}\n` : renderExplain(result, io, scope.stats.apiCalls));
    return result.complete ? EXIT.ok : EXIT.error;
  } finally {
    await target.close();
  }
}
