/**
 * Building credentials for each auth mode, without any network: the
 * instance metadata service is always injected, so no test reaches
 * 169.254.169.254. Each failure names what is missing and how to fix it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as common from 'oci-common';
import { loadConfig } from '../../src/config';
import { createAuthProvider, METADATA_TIMEOUT_MS } from '../../src/oci/auth';
import {
  createTestCredentials,
  TEST_REGION,
  TEST_TENANCY_ID,
  TEST_USER_ID,
  writeSessionProfile,
  type TestCredentials,
} from '../helpers/oci-credentials';

let credentials: TestCredentials;
let dir: string;
beforeAll(async () => {
  // The SDK notes a config file without a [DEFAULT] profile on console.info.
  jest.spyOn(console, 'info').mockImplementation(() => undefined);
  credentials = await createTestCredentials();
  dir = mkdtempSync(join(tmpdir(), 'auth-'));
});
afterAll(async () => {
  await credentials.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

/** Writes a config file with `lines` and returns its path. */
function configFile(name: string, lines: readonly string[]): string {
  const path = join(dir, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

/** A provider the fake would trust, standing in for what the metadata service yields on an instance. */
function injectedInstancePrincipal(): common.AuthenticationDetailsProvider {
  return new common.SimpleAuthenticationDetailsProvider(
    TEST_TENANCY_ID,
    TEST_USER_ID,
    'aa:bb',
    credentials.privateKeyPem,
    null,
    common.Region.fromRegionId(TEST_REGION),
  );
}

const never = () => new Promise<never>(() => undefined);

describe('config_file credentials', () => {
  it('names the file it was given when that file does not exist', async () => {
    // Act
    const attempt = createAuthProvider({ auth: 'config_file', ociConfigFile: join(dir, 'missing') });

    // Assess
    await expect(attempt).rejects.toThrow(`OCI config file ${join(dir, 'missing')} does not exist`);
  });

  it('lists the profiles the file has when the asked-for profile is not among them', async () => {
    // Act
    const attempt = createAuthProvider({ auth: 'config_file', ociConfigFile: credentials.configFile.path, ociProfile: 'PROD' });

    // Assess
    await expect(attempt).rejects.toThrow(`OCI config file ${credentials.configFile.path} has no profile [PROD] (it has [DEFAULT])`);
  });

  it('names every key an API-key profile lacks', async () => {
    // Prepare
    const path = configFile('no-key', ['[DEFAULT]', `tenancy=${TEST_TENANCY_ID}`, `user=${TEST_USER_ID}`, `region=${TEST_REGION}`]);

    // Act
    const attempt = createAuthProvider({ auth: 'config_file', ociConfigFile: path });

    // Assess
    await expect(attempt).rejects.toThrow(`profile [DEFAULT] in ${path} lacks fingerprint, key_file`);
  });

  it('names the key file that cannot be read, with its profile and config file', async () => {
    // Prepare
    const path = configFile('gone-key', [
      '[DEFAULT]',
      `tenancy=${TEST_TENANCY_ID}`,
      `user=${TEST_USER_ID}`,
      'fingerprint=aa:bb',
      `key_file=${join(dir, 'gone.pem')}`,
      `region=${TEST_REGION}`,
    ]);

    // Act
    const attempt = createAuthProvider({ auth: 'config_file', ociConfigFile: path });

    // Assess
    await expect(attempt).rejects.toThrow(`key_file ${join(dir, 'gone.pem')} (profile [DEFAULT] in ${path}) cannot be read`);
  });

  it('points a session-token profile at the security_token mode instead of signing with a keyId OCI would refuse', async () => {
    // Prepare
    const session = await writeSessionProfile(credentials);

    // Act
    const attempt = createAuthProvider({ auth: 'config_file', ociConfigFile: session.path, ociProfile: session.profile });

    // Assess
    await expect(attempt).rejects.toThrow(/is a session-token profile .*sign with it in auth mode security_token/);
  });

  it('signs as the API key of a complete profile', async () => {
    // Act
    const provider = await createAuthProvider({ auth: 'config_file', ociConfigFile: credentials.configFile.path });

    // Assess
    expect(await provider.getKeyId()).toBe(credentials.configFile.keyId);
  });
});

describe('security_token credentials', () => {
  it('is an auth mode the oci_auth config key accepts', () => {
    // Act
    const config = loadConfig({ oci_auth: 'security_token' });

    // Assess
    expect(config.auth).toBe('security_token');
  });

  it('signs with ST$ and the token, without the token file’s trailing newline', async () => {
    // Prepare
    const session = await writeSessionProfile(credentials);

    // Act
    const provider = await createAuthProvider({ auth: 'security_token', ociConfigFile: session.path, ociProfile: session.profile });

    // Assess
    expect(await provider.getKeyId()).toBe(session.keyId);
    expect(session.keyId).not.toMatch(/\s/);
  });

  it('refuses an expired session token and names "oci session refresh" and "oci session authenticate"', async () => {
    // Prepare
    const session = await writeSessionProfile(credentials, { name: 'STALE', expiresAt: new Date(Date.now() - 60_000) });

    // Act
    const attempt = createAuthProvider({ auth: 'security_token', ociConfigFile: session.path, ociProfile: 'STALE' });

    // Assess
    await expect(attempt).rejects.toThrow(
      /the session token of profile \[STALE\] in .* expired at .*; refresh it with "oci session refresh --profile STALE" or sign in again with "oci session authenticate --profile-name STALE"/,
    );
  });

  it('says an API-key profile is not a session-token profile and how to make one', async () => {
    // Act
    const attempt = createAuthProvider({ auth: 'security_token', ociConfigFile: credentials.configFile.path });

    // Assess
    await expect(attempt).rejects.toThrow(
      `profile [DEFAULT] in ${credentials.configFile.path} has no security_token_file, so it is not a session-token profile; create one with "oci session authenticate --profile-name DEFAULT"`,
    );
  });

  it('refuses a token file that holds no session token', async () => {
    // Prepare
    const session = await writeSessionProfile(credentials, { name: 'JUNK' });
    writeFileSync(session.tokenPath, 'not-a-token\n');

    // Act
    const attempt = createAuthProvider({ auth: 'security_token', ociConfigFile: session.path, ociProfile: 'JUNK' });

    // Assess
    await expect(attempt).rejects.toThrow(/security_token_file of profile \[JUNK\] .* holds no session token/);
  });
});

describe('instance_principal credentials', () => {
  it('uses what the instance metadata service yields', async () => {
    // Prepare
    const yielded = injectedInstancePrincipal();

    // Act
    const provider = await createAuthProvider({ auth: 'instance_principal' }, { instancePrincipal: async () => yielded });

    // Assess
    expect(provider).toBe(yielded);
  });

  it('gives up on a metadata service that never answers after the bound, well inside 10 s', async () => {
    // Prepare
    jest.useFakeTimers();
    try {
      const attempt = createAuthProvider({ auth: 'instance_principal' }, { instancePrincipal: never });
      const settled = expect(attempt).rejects.toThrow(
        /^instance principal: the instance metadata service \(http:\/\/169\.254\.169\.254\/opc\/v2\/\) did not answer within 5 s; this works only on an OCI compute instance/,
      );

      // Act
      await jest.advanceTimersByTimeAsync(METADATA_TIMEOUT_MS);

      // Assess
      await settled;
      expect(METADATA_TIMEOUT_MS).toBeLessThan(10_000);
    } finally {
      jest.useRealTimers();
    }
  });

  it('passes on why the metadata service failed, and where this mode works', async () => {
    // Act
    const attempt = createAuthProvider(
      { auth: 'instance_principal' },
      {
        instancePrincipal: () => Promise.reject(new Error('connect EHOSTUNREACH 169.254.169.254:80')),
      },
    );

    // Assess
    await expect(attempt).rejects.toThrow(
      'instance principal: credentials could not be obtained from the instance metadata service: connect EHOSTUNREACH 169.254.169.254:80; this works only on an OCI compute instance',
    );
  });
});

describe('Cloud Shell profiles (authentication_type=instance_principal with a delegation token)', () => {
  const cloudShellProfile = (name: string, authType = 'instance_principal') => {
    const token = join(dir, `${name}.delegation_token`);
    writeFileSync(token, 'delegation-token-value\n');
    return configFile(name, [
      '[DEFAULT]',
      `tenancy=${TEST_TENANCY_ID}`,
      `region=${TEST_REGION}`,
      `authentication_type=${authType}`,
      `delegation_token_file=${token}`,
    ]);
  };

  it('signs with the instance principal and sends the delegation token as opc-obo-token', async () => {
    // Prepare
    const path = cloudShellProfile('cloud-shell');
    const yielded = injectedInstancePrincipal();
    const request = { method: 'GET', uri: 'https://iaas.us-ashburn-1.oraclecloud.com/20160918/instances/x', headers: new Headers() };

    // Act
    const provider = await createAuthProvider({ auth: 'config_file', ociConfigFile: path }, { instancePrincipal: async () => yielded });
    await new common.DefaultRequestSigner(provider).signHttpRequest(request as unknown as common.HttpRequest);

    // Assess
    expect(request.headers.get('opc-obo-token')).toBe('delegation-token-value');
    expect(request.headers.get('authorization')).toContain(`keyId="${TEST_TENANCY_ID}/${TEST_USER_ID}/aa:bb"`);
    expect(request.headers.get('authorization')).toMatch(/headers="[^"]*opc-obo-token/);
  });

  it('says the profile works only inside Cloud Shell when no metadata service answers', async () => {
    // Prepare
    const path = cloudShellProfile('outside-cloud-shell');

    // Act
    const attempt = createAuthProvider(
      { auth: 'config_file', ociConfigFile: path },
      { instancePrincipal: () => Promise.reject(new Error('connect ECONNREFUSED')) },
    );

    // Assess
    await expect(attempt).rejects.toThrow(
      `profile [DEFAULT] in ${path} (Cloud Shell's delegation token): credentials could not be obtained`,
    );
  });

  it('refuses an authentication_type the SDK cannot sign with', async () => {
    // Prepare
    const path = cloudShellProfile('obo-user', 'instance_obo_user');

    // Act
    const attempt = createAuthProvider({ auth: 'config_file', ociConfigFile: path }, { instancePrincipal: never });

    // Assess
    await expect(attempt).rejects.toThrow(`profile [DEFAULT] in ${path} has authentication_type=instance_obo_user`);
  });
});
