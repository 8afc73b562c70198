/**
 * The strict `oci` stand-in refuses what the real OCI CLI refuses (as
 * recorded in test/fixtures/oci-cli-commands.json), so that a generated
 * script that would fail against the real CLI fails in the tests too.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createStrictOci, type StrictOci } from '../helpers/strict-oci';

const TENANCY = 'ocid1.tenancy.oc1..aaaaaaaatenancy';
const COMMANDS = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'oci-cli-commands.json'), 'utf8')) as {
  readonly ociCli: { readonly version: string };
  readonly commands: Record<string, { readonly source: string; readonly version: string }>;
};

let oci: StrictOci;
beforeEach(() => (oci = createStrictOci({ 'https://idcs-ops.example.com': 'Ops Domain' })));
afterEach(() => oci.cleanup());

const STATEMENTS = '["Allow service cloudEvents to use functions-family in tenancy"]';

/** `oci iam policy update` of policy `id` with the statements above and `extra` options. */
function updatePolicy(id: string, extra: readonly string[]) {
  return oci.run(['iam', 'policy', 'update', '--policy-id', id, '--statements', STATEMENTS, ...extra]);
}

/** `oci iam policy create` of a policy named p with `statements` (JSON text) and `extra` options. */
function policyCreate(statements: string, extra: readonly string[] = []) {
  return oci.run([
    'iam',
    'policy',
    'create',
    '--compartment-id',
    TENANCY,
    '--name',
    'p',
    '--description',
    'd',
    '--statements',
    statements,
    ...extra,
  ]);
}

const FUNCTION = 'ocid1.fnfunc.oc1.iad.aaaaaaaafunction';

/** A `--resources` value that invokes `functionId` with an empty body, or `parameters` as given. */
function resources(functionId: string, parameters: readonly object[] = [{ parameterType: 'BODY', value: {} }]): string {
  return JSON.stringify([{ id: functionId, parameters }]);
}

/** `oci resource-scheduler schedule create` of an hourly schedule for `functionId`, with `extra` options. */
function scheduleCreate(extra: readonly string[], functionId = FUNCTION, parameters?: readonly object[]) {
  oci.seed({ functions: [{ id: FUNCTION, 'lifecycle-state': 'ACTIVE' }] });
  return oci.run([
    'resource-scheduler',
    'schedule',
    'create',
    '--compartment-id',
    TENANCY,
    '--display-name',
    's',
    '--recurrence-type',
    'CRON',
    '--recurrence-details',
    '0 * * * *',
    '--resources',
    resources(functionId, parameters),
    ...extra,
  ]);
}

function createPolicy(): string {
  const created = policyCreate(STATEMENTS, ['--query', 'data.id', '--raw-output']);
  expect(created.status).toBe(0);
  return created.stdout.trim();
}

describe('the strict oci stand-in', () => {
  it('records for every command the oci-cli version and source file it was read from', () => {
    // Prepare, Act
    const entries = Object.entries(COMMANDS.commands);
    // Assess
    expect(entries.length).toBeGreaterThan(0);
    for (const [, entry] of entries) {
      expect(entry.version).toBe(COMMANDS.ociCli.version);
      expect(entry.source).toMatch(/^services\/[a-z_]+\/src\/.+\.py/);
    }
  });

  it('refuses a command the CLI does not have', () => {
    // Act
    const result = oci.run(['iam', 'dynamic-groups', 'create', '--compartment-id', TENANCY]);
    // Assess
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/No such command/);
  });

  it('refuses an option the command does not have', () => {
    // Act
    const result = oci.run(['iam', 'tag-namespace', 'list', '--compartment-id', TENANCY, '--name', 'x']);
    // Assess
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/No such option: --name/);
  });

  it('refuses a call without a required option', () => {
    // Act
    const result = oci.run(['iam', 'dynamic-group', 'create', '--compartment-id', TENANCY, '--name', 'g', '--description', 'd']);
    // Assess
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/Missing option\(s\) --matching-rule/);
  });

  it('refuses a policy update with --statements but no --version-date', () => {
    // Prepare
    const id = createPolicy();
    // Act
    const result = updatePolicy(id, ['--force']);
    // Assess
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/both parameters must be specified/);
  });

  it('accepts a policy update with --statements and an empty --version-date', () => {
    // Prepare
    const id = createPolicy();
    // Act
    const result = updatePolicy(id, ['--version-date', '', '--force']);
    // Assess
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('aborts an update that would prompt when --force is missing', () => {
    // Prepare
    const id = createPolicy();
    // Act
    const result = updatePolicy(id, ['--version-date', '']);
    // Assess
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/Aborted!/);
  });

  it('refuses JSON of the wrong shape', () => {
    // Act
    const result = oci.run([
      'events',
      'rule',
      'create',
      '--compartment-id',
      TENANCY,
      '--display-name',
      'r',
      '--is-enabled',
      'true',
      '--condition',
      '{}',
      '--actions',
      '[{"actionType":"FAAS","isEnabled":true,"functionId":"ocid1.fnfunc.oc1..x"}]',
    ]);
    // Assess
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/'--actions' is not a valid ActionDetailsList/);
  });

  it('refuses a value that is not JSON where the CLI wants JSON', () => {
    // Act
    const result = policyCreate('Allow x');
    // Assess
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/must be in JSON format/);
  });

  it('refuses an identity-domains call without --endpoint', () => {
    // Act
    const result = oci.run(['identity-domains', 'dynamic-resource-groups', 'list', '--filter', 'displayName eq "x"']);
    // Assess
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/--endpoint/);
  });

  it('keeps a dynamic group created without waiting CREATING, and refuses a policy naming it', () => {
    // Prepare
    const rule = "ALL {resource.type = 'fnfunc'}";
    oci.run(['iam', 'dynamic-group', 'create', '--compartment-id', TENANCY, '--name', 'g', '--description', 'd', '--matching-rule', rule]);
    // Act
    const result = policyCreate('["Allow dynamic-group g to read instances in tenancy"]');
    // Assess
    expect(oci.state().dynamicGroups[0]?.['lifecycle-state']).toBe('CREATING');
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/which is CREATING/);
  });

  it('refuses a schedule action the CLI does not offer', () => {
    // Act
    const result = scheduleCreate(['--action', 'INVOKE']);
    // Assess
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/Invalid value for '--action'/);
  });

  it('refuses a schedule whose resource is not a function that exists', () => {
    // Act
    const result = scheduleCreate(['--action', 'START_RESOURCE'], 'ocid1.fnfunc.oc1.iad.aaaaaaaamissing');
    // Assess
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/NotAuthorizedOrNotFound/);
  });

  it('refuses schedule resources whose parameters are not of the SDK shape', () => {
    // Act
    const result = scheduleCreate(['--action', 'START_RESOURCE'], FUNCTION, [{ type: 'BODY', value: {} }]);
    // Assess
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/'--resources' is not a valid list\[Resource\]: .* is missing parameterType/);
  });

  it('lists schedules under data.items, as the CLI prints a ScheduleCollection', () => {
    // Prepare
    const created = scheduleCreate(['--action', 'START_RESOURCE', '--query', 'data.id', '--raw-output']);
    // Act
    const listed = oci.run([
      'resource-scheduler',
      'schedule',
      'list',
      '--compartment-id',
      TENANCY,
      '--all',
      '--query',
      'data.items[0].id',
      '--raw-output',
    ]);
    // Assess
    expect(created.status).toBe(0);
    expect(listed.stdout).toBe(created.stdout);
  });

  it('asks before a schedule update replaces its resources, and aborts without --force', () => {
    // Prepare
    const id = scheduleCreate(['--action', 'START_RESOURCE', '--query', 'data.id', '--raw-output']).stdout.trim();
    // Act
    const result = oci.run(['resource-scheduler', 'schedule', 'update', '--schedule-id', id, '--resources', resources(FUNCTION)]);
    // Assess
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/Aborted!/);
  });

  it("refuses a function's detached timeout outside 5-3600 seconds", () => {
    // Prepare
    oci.seed({ functions: [{ id: FUNCTION, 'lifecycle-state': 'ACTIVE' }] });
    // Act
    const result = oci.run(['fn', 'function', 'update', '--function-id', FUNCTION, '--detached-mode-timeout-in-seconds', '4000']);
    // Assess
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/outside 5-3600/);
  });
});
