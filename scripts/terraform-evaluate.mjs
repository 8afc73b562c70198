// Evaluates the module's locals with `terraform console` (no provider, no
// network) over the inputs `iam --format tfvars` printed for each golden case,
// and checks that they give the Events rules and the schedule body the
// planner gave for the same case (test/fixtures/iam/golden/<case>.json);
// then, over the example inputs, the validations, the split of the function's
// policy at 50 statements, and "" read as an unset optional field.
// Run by .ci/run when a terraform binary is on PATH; exits 1 on a difference.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';

const MODULE = 'deploy/terraform/modules/oke-nodepool-tagger';
const GOLDEN = 'test/fixtures/iam/golden';
// The required inputs the tfvars output does not carry; their values do not reach the locals checked.
const REQUIRED = `
tenancy_ocid     = "ocid1.tenancy.oc1..aaaaaaaaexample"
compartment_ocid = "ocid1.compartment.oc1..aaaaaaaaexample"
subnet_ids       = ["ocid1.subnet.oc1.iad.aaaaaaaaexample"]
image            = "iad.ocir.io/example/oke-nodepool-tagger:0.1.0"
image_digest     = "sha256:0000000000000000000000000000000000000000000000000000000000000000"
`;

/**
 * The locals checked, evaluated in `dir` with the inputs file and `args`.
 * terraform console exits 0 even when a variable fails its validation, so
 * an `Error:` on stderr is thrown here, with that text.
 */
const CHECKED =
  '{ rules = local.events_rules, body = local.reconcile_body, fits = length(local.events_rules) <= local.events_rule_budget }';

function evaluate(dir, args, expression = CHECKED) {
  const run = spawnSync('terraform', ['console', '-no-color', '-var-file=inputs.tfvars', ...args], {
    cwd: dir,
    input: `jsonencode(${expression})\n`,
    env: { ...process.env, TF_CLI_CONFIG_FILE: '/dev/null', TF_IN_AUTOMATION: '1' },
    encoding: 'utf8',
  });
  if (run.status !== 0 || /^Error: /m.test(run.stderr)) throw new Error(`terraform console failed in ${dir}:\n${run.stderr}`);
  return JSON.parse(JSON.parse(run.stdout.trim()));
}

const cases = readdirSync(GOLDEN)
  .filter((file) => file.endsWith('.tfvars'))
  .map((file) => file.slice(0, -'.tfvars'.length));
let failed = 0;
for (const name of cases) {
  const dir = mkdtempSync(join(tmpdir(), 'terraform-evaluate-'));
  try {
    for (const file of ['variables.tf', 'locals.tf']) copyFileSync(join(MODULE, file), join(dir, file));
    writeFileSync(join(dir, 'inputs.tfvars'), readFileSync(join(GOLDEN, `${name}.tfvars`), 'utf8') + REQUIRED);
    const evaluated = evaluate(dir, []);
    // One existing rule too many for the tenancy's 50: the precondition's condition must turn false.
    const crowded = evaluate(dir, [`-var=existing_events_rules=${51 - Object.keys(evaluated.rules).length}`]);
    const plan = JSON.parse(readFileSync(join(GOLDEN, `${name}.json`), 'utf8'));
    const rules = Object.fromEntries(plan.eventsRules.map((rule) => [rule.compartmentId, rule.condition.eventType]));
    const problems = [];
    if (!isDeepStrictEqual(evaluated.rules, rules))
      problems.push(`rules ${JSON.stringify(evaluated.rules)} != planner ${JSON.stringify(rules)}`);
    if (plan.reconcileSchedule !== undefined && !isDeepStrictEqual(evaluated.body, plan.reconcileSchedule.body))
      problems.push(`body ${JSON.stringify(evaluated.body)} != planner ${JSON.stringify(plan.reconcileSchedule.body)}`);
    if (evaluated.fits !== true) problems.push('the rules do not fit the default budget');
    if (crowded.fits !== false) problems.push('the rules fit a budget one rule too small');
    console.log(`${problems.length === 0 ? 'ok' : 'FAILED'}: ${name}: ${Object.keys(evaluated.rules).length} rule(s)`);
    for (const problem of problems) console.log(`  ${problem}`);
    if (problems.length > 0) failed += 1;
  } finally {
    if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
  }
}
console.log(`terraform console: ${cases.length - failed} of ${cases.length} case(s) match the planner`);

// The example inputs pass the module's validations (the root's own region aside), and a digest that is not one is refused.
const example = mkdtempSync(join(tmpdir(), 'terraform-evaluate-'));
try {
  for (const file of ['variables.tf', 'locals.tf']) copyFileSync(join(MODULE, file), join(example, file));
  const inputs = readFileSync('deploy/terraform/examples/complete/terraform.tfvars.example', 'utf8').replace(/^region .*$/m, '');
  writeFileSync(join(example, 'inputs.tfvars'), inputs);
  const accepted = evaluate(example, []);
  let refusal = '';
  try {
    evaluate(example, ['-var=image_digest=sha256:abc']);
  } catch (error) {
    refusal = error.message;
  }
  const ok = Object.keys(accepted.rules).length === 2 && refusal.includes('image_digest must be sha256:');
  console.log(`${ok ? 'ok' : 'FAILED'}: terraform.tfvars.example is accepted, a bad image_digest refused`);
  if (!ok) failed += 1;
  failed += checkValidations(example) + checkPolicySplit(example) + checkCleared(example);
} finally {
  rmSync(example, { recursive: true, force: true });
}
/** The validation messages `args` meet, unwrapped to one line, or '' when they are accepted. */
function refusal(dir, args) {
  try {
    evaluate(dir, args);
    return '';
  } catch (error) {
    return error.message.replace(/\s+/g, ' ');
  }
}

/** 1 when a line reports a failure, else 0; prints the line. */
function report(ok, text, detail = '') {
  console.log(`${ok ? 'ok' : 'FAILED'}: ${text}`);
  if (!ok && detail !== '') console.log(`  ${detail}`);
  return ok ? 0 : 1;
}

// Inputs Resource Manager or a hand-written tfvars may carry, each refused with its own message.
function checkValidations(dir) {
  const refused = [
    ['-var=instance_compartment_ids=["ocid1.instance.oc1.iad.aaaaaaaaexample"]', 'instance_compartment_ids must hold compartment OCIDs'],
    ['-var=pool_compartment_ids=["prod"]', 'pool_compartment_ids must hold compartment OCIDs'],
    ['-var=search_compartment_ids=[""]', 'search_compartment_ids must hold compartment OCIDs'],
    ['-var=tag_namespace_compartment_id=ocid1.vcn.oc1.iad.aaaaaaaaexample', 'tag_namespace_compartment_id must be a compartment OCID'],
    ['-var=compartment_ocid=prod', 'compartment_ocid must be a compartment OCID'],
    ['-var=tenancy_ocid=ocid1.compartment.oc1..aaaaaaaaexample', 'tenancy_ocid must be a tenancy OCID'],
    ['-var=reconcile_schedule_cron=0 * * *', 'reconcile_schedule_cron must be five cron fields'],
    ['-var=existing_events_rules=-1', 'existing_events_rules must be a whole number, 0 or more'],
    ['-var=events_rule_limit=-5', 'events_rule_limit must be a whole number, 0 or more'],
    ['-var=alarm_email=ops', 'alarm_email must be an email address'],
  ];
  const missed = refused.filter(([arg, message]) => !refusal(dir, [arg]).includes(message)).map(([arg]) => arg);
  const accepted = [
    '-var=tenancy_ocid=ocid1.tenancy.oc1..aaaaaaaaexample',
    '-var=search_compartment_ids=["ocid1.tenancy.oc1..aaaaaaaaexample"]',
  ];
  const wrongly = accepted.filter((arg) => refusal(dir, [arg]) !== '');
  return report(
    missed.length === 0 && wrongly.length === 0,
    `${refused.length} bad inputs refused, each with its message; the tenancy accepted as a compartment`,
    `not refused: ${missed.join(' ')}; refused: ${wrongly.join(' ')}`,
  );
}

// 100 compartments of each kind, 5 of them given twice, and 10 more to search (and 5 of the pools again):
// (95 + 10) + 2 × 95 + 1 = 296 distinct statements, in policies of at most 50.
function checkPolicySplit(dir) {
  const ids = (kind, count) =>
    Array.from({ length: count }, (_, n) => `ocid1.compartment.oc1..aaaaaaaa${kind}${String(n).padStart(3, '0')}`);
  const twice = (list) => JSON.stringify([...list, ...list.slice(0, 5)]);
  const chunks = evaluate(
    dir,
    [
      `-var=instance_compartment_ids=${twice(ids('i', 95))}`,
      `-var=pool_compartment_ids=${twice(ids('p', 95))}`,
      `-var=search_compartment_ids=${JSON.stringify([...ids('s', 10), ...ids('p', 5)])}`,
    ],
    'local.function_policy_chunks',
  );
  const sizes = chunks.map((chunk) => chunk.length);
  const statements = chunks.flat();
  const small = evaluate(dir, [], 'local.function_policy_chunks');
  return report(
    sizes.length === 6 &&
      sizes.every((size) => size <= 50) &&
      statements.length === 296 &&
      new Set(statements).size === 296 &&
      small.length === 1,
    `the function's 296 statements for 105 cluster and 95 instance compartments fill ${sizes.length} policies of at most 50; the example's fit one`,
    `sizes ${JSON.stringify(sizes)}, ${statements.length} statements, ${new Set(statements).size} distinct, the example's in ${small.length}`,
  );
}

// Resource Manager may send "" for an optional field the operator cleared.
function checkCleared(dir) {
  const cleared = evaluate(
    dir,
    ['-var=tag_namespace_compartment_id=', '-var=reconcile_schedule_cron=', '-var=alarm_email='],
    '{ compartment = local.tag_namespace_compartment_id, location = local.tag_namespace_location, cron = local.reconcile_schedule_cron, email = local.alarm_email }',
  );
  const expected = { compartment: null, location: 'tenancy', cron: null, email: null };
  return report(
    isDeepStrictEqual(cleared, expected),
    '"" for tag_namespace_compartment_id, reconcile_schedule_cron and alarm_email reads as null',
    JSON.stringify(cleared),
  );
}

process.exit(failed === 0 && cases.length > 0 ? 0 : 1);
