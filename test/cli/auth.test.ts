/**
 * The credentials the command line signs with, met in child processes: the
 * error without any config file, and `--auth security_token` (or
 * `oci_auth=security_token`) making real signed calls to the fake OCI API,
 * which accepts a session token's keyId only for a token it trusts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeOciApi } from '../../src/local/fake-oci-api';
import { loadWorldFile } from '../../src/local/world';
import { createTestCredentials, writeSessionProfile, type SessionProfile, type TestCredentials } from '../helpers/oci-credentials';
import { jsonLines, REPO_ROOT, runCli } from '../helpers/run-cli';

const WORLD = join(REPO_ROOT, 'examples/world.json');
const LAUNCH = join(REPO_ROOT, 'examples/events/01-launch-apps-node.json');

let home: string;
let credentials: TestCredentials;
let session: SessionProfile;
let api: FakeOciApi;
beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'cli-auth-home-'));
  credentials = await createTestCredentials();
  session = await writeSessionProfile(credentials);
  // Only the session is trusted: the same key's API-key keyId, or another token for it, is answered 401.
  api = new FakeOciApi({ world: await loadWorldFile(WORLD), trustedKeys: { [session.keyId]: credentials.publicKeyPem } });
  await api.start();
});
afterAll(async () => {
  await api.stop();
  await credentials.cleanup();
  rmSync(home, { recursive: true, force: true });
});
beforeEach(() => api.resetCalls());

const toFake = () => ({ HOME: home, compute_endpoint: api.url, containerengine_endpoint: api.url });

describe('CLI credentials', () => {
  it('names the files it looked for, the flags and "oci setup config" when there is no OCI config file', async () => {
    // Act
    const run = await runCli(['replay', LAUNCH], { HOME: home });

    // Assess
    const output = `${run.stdout}${run.stderr}`;
    expect(run.code).toBe(1);
    expect(output).toContain(`no OCI config file: looked for ${home}/.oci/config and ${home}/.oraclebmc/config`);
    for (const hint of ['oci setup config', '--config-file FILE', '--profile NAME', '--auth MODE', '--world FILE'])
      expect(output).toContain(hint);
    expect(output).not.toContain('OCI_CONFIG_FILE');
  });

  it('signs with the session token of an "oci session authenticate" profile under --auth security_token', async () => {
    // Act
    const run = await runCli(
      ['replay', LAUNCH, '--auth', 'security_token', '--config-file', session.path, '--profile', session.profile, '--json'],
      toFake(),
    );

    // Assess
    expect(run.code).toBe(0);
    expect(jsonLines(run.stdout)).toEqual([expect.objectContaining({ outcome: 'would-tag', nodePoolName: 'apps' })]);
    expect(api.calls).toContainEqual(expect.objectContaining({ operation: 'GetInstance', status: 200 }));
  });

  it('takes the auth mode from oci_auth in the environment as it does from --auth', async () => {
    // Act
    const run = await runCli(['replay', LAUNCH, '--config-file', session.path, '--profile', session.profile, '--json'], {
      ...toFake(),
      oci_auth: 'security_token',
    });

    // Assess
    expect(run.code).toBe(0);
    expect(jsonLines(run.stdout)[0]).toMatchObject({ outcome: 'would-tag' });
  });

  it('writes each session profile a token of its own, even two written at once (the premise of the next test)', async () => {
    // Act
    const [first, second] = await Promise.all([
      writeSessionProfile(credentials, { name: 'TWIN_A' }),
      writeSessionProfile(credentials, { name: 'TWIN_B' }),
    ]);

    // Assess
    expect(first.keyId).not.toBe(second.keyId);
  });

  it('is refused by the fake for a session token it does not trust, even one for a trusted key', async () => {
    // Prepare
    const other = await writeSessionProfile(credentials, { name: 'OTHER' });
    // Another token for the same key, even when written in the same second as the trusted one.
    expect(other.keyId).not.toBe(session.keyId);

    // Act
    const run = await runCli(
      ['replay', LAUNCH, '--auth', 'security_token', '--config-file', other.path, '--profile', 'OTHER', '--json'],
      toFake(),
    );

    // Assess
    expect(run.code).toBe(1);
    expect(jsonLines(run.stdout)[0]).toMatchObject({ outcome: 'error', error: expect.stringContaining('401 NotAuthenticated') });
    expect(api.calls).toEqual([expect.objectContaining({ operation: 'GetInstance', status: 401 })]);
  });

  it('ends at once, before any call, naming "oci session refresh" when the session token has expired', async () => {
    // Prepare
    const stale = await writeSessionProfile(credentials, { name: 'STALE', expiresAt: new Date(Date.now() - 60_000) });
    const started = Date.now();

    // Act
    const run = await runCli(['replay', LAUNCH, '--auth', 'security_token', '--config-file', stale.path, '--profile', 'STALE'], toFake(), {
      timeoutMs: 10_000,
    });

    // Assess
    expect(run.code).toBe(1);
    expect(`${run.stdout}${run.stderr}`).toMatch(
      /session token of profile \[STALE\] .* expired at .*"oci session refresh --profile STALE"/,
    );
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(api.calls).toEqual([]);
  });

  it('exits 2 naming --auth for a mode it does not know', async () => {
    // Act
    const run = await runCli(['replay', LAUNCH, '--auth', 'api_key'], { HOME: home });

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--auth: "api_key" is not one of resource_principal, instance_principal, config_file, security_token');
  });
});
