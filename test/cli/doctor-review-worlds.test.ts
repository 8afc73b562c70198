/**
 * The reviewer's worlds, each one defect away from the healthy deployment,
 * run through the built bundle: what doctor must now answer for each, and
 * its exit code (3 a failure, 1 unknown, 0 warnings only).
 */
import { join } from 'node:path';
import { REPO_ROOT, runCli } from '../helpers/run-cli';

const APPS = 'ocid1.compartment.oc1..aaaaaaaaexampleapps00000000000000000000000000000000000000000';
const FUNCTION_ID = 'ocid1.fnfunc.oc1.iad.aaaaaaaaexampletagger000000000000000000000000000000000000000';
const PROD_DOMAIN = 'https://idcs-0123456789abcdef.identity.oraclecloud.com:443';
const PROD_WEB = 'pools.group.ocid1.nodepool.oc1.iad.aaaaaaaaexamplepoolweb00000000000000000000000000000000000000';

interface Check {
  id: string;
  status: string;
  found: string;
}

async function doctorOver(world: string, ...extra: string[]) {
  const path = join(REPO_ROOT, 'test/fixtures/worlds/access', `${world}.json`);
  const run = await runCli(['doctor', '--world', path, '--compartment', APPS, '--function-id', FUNCTION_ID, '--json', ...extra]);
  const report = JSON.parse(run.stdout) as { checks: Check[] };
  const status = (id: string) => report.checks.find((check) => check.id === id)?.status;
  const found = (id: string) => report.checks.find((check) => check.id === id)?.found ?? '';
  return { code: run.code, status, found };
}

describe('doctor over the reviewer worlds', () => {
  it('warns on a tag rule constrained only by resource.type', async () => {
    const run = await doctorOver('review-tag-rule-by-resource-type');

    expect(run.status('who-can-tag.rules')).toBe('warn');
    expect(run.code).toBe(0);
  });

  it('answers unknown for a double-quoted tag rule, with its column', async () => {
    const run = await doctorOver('review-tag-rule-double-quoted');

    expect(run.status('who-can-tag.rules')).toBe('unknown');
    expect(run.found('who-can-tag.rules')).toContain('column 54');
    expect(run.code).toBe(1);
  });

  it("answers unknown, not fail, for the function's double-quoted rule", async () => {
    const run = await doctorOver('review-function-rule-double-quoted');

    expect(run.status('rights.group')).toBe('unknown');
    expect(run.status('rights.1')).toBe('unknown');
    expect(run.code).toBe(1);
  });

  it('fails the web pools that legacy-web shares, and no longer warns on its object-family grant', async () => {
    const run = await doctorOver('review-legacy-group-shared-by-clusters');

    expect(run.status(PROD_WEB)).toBe('fail');
    expect(run.found(PROD_WEB)).toContain('legacy-web');
    expect(run.status('who-can-tag.policies')).toBe('ok');
    expect(run.code).toBe(3);
  });

  it('reads statements with permissions in braces: the function holds INSTANCE_UPDATE, and the Ops group may tag', async () => {
    const run = await doctorOver('review-permissions-in-braces');

    expect(run.status('rights.3')).toBe('ok');
    expect(run.status('who-can-tag.policies')).toBe('warn');
    expect(run.found('who-can-tag.policies')).toContain('Allow group Ops to {TAG_NAMESPACE_USE, TAG_NAMESPACE_INSPECT} in tenancy');
    expect(run.code).toBe(0);
  });

  it('answers unknown for a tag grant to a domain group whose rule came back null', async () => {
    const run = await doctorOver('review-domain-group-null-rule', '--identity-domain-url', PROD_DOMAIN);

    expect(run.status('who-can-tag.policies')).toBe('unknown');
    expect(run.found('who-can-tag.policies')).toContain("'Prod'/'mystery'");
    expect(run.status('rights.group')).toBe('ok');
    expect(run.code).toBe(1);
  });
});
