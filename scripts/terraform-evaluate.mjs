// Evaluates the module's locals with `terraform console` (no provider, no
// network) over the inputs `iam --format tfvars` printed for each golden case,
// and checks that they give the Events rules and the schedule body the
// planner gave for the same case (test/fixtures/iam/golden/<case>.json).
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
function evaluate(dir, args) {
  const run = spawnSync('terraform', ['console', '-no-color', '-var-file=inputs.tfvars', ...args], {
    cwd: dir,
    input:
      'jsonencode({ rules = local.events_rules, body = local.reconcile_body, fits = length(local.events_rules) <= local.events_rule_budget })\n',
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
} finally {
  rmSync(example, { recursive: true, force: true });
}
process.exit(failed === 0 && cases.length > 0 ? 0 : 1);
