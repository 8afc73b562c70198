/**
 * Throw-away OCI credentials for tests: one RSA key pair, written out both as
 * an OCI config file (for `ConfigFileAuthenticationDetailsProvider`) and as
 * resource principal v2.2 material (for
 * `ResourcePrincipalAuthenticationDetailsProvider`, what OCI Functions uses),
 * plus the keyIds the fake OCI API must trust for each; and session-token
 * profiles for the same key, as `oci session authenticate` writes them.
 *
 * Also a small independent request signer, so tests can send requests the SDK
 * would never send (stale dates, tampered bodies, odd query strings).
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPair, randomUUID, sign } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { selfSignedToken } from '../../src/cli/embedded-credentials';

export const TEST_REGION = 'us-ashburn-1';
export const TEST_TENANCY_ID = 'ocid1.tenancy.oc1..aaaaaaaatesttenancy0000000000000000000000000000000000000';
export const TEST_USER_ID = 'ocid1.user.oc1..aaaaaaaatestuser000000000000000000000000000000000000000000';
export const TEST_FUNCTION_COMPARTMENT_ID = 'ocid1.compartment.oc1..aaaaaaaatestfunctioncompartment00000000000000000000000';
export const TEST_FUNCTION_ID = 'ocid1.fnfunc.oc1.iad.aaaaaaaatestfunction0000000000000000000000000000000000000';

export interface TestCredentials {
  /** Temporary directory holding every file below. */
  readonly dir: string;
  readonly publicKeyPem: string;
  readonly privateKeyPem: string;
  /** For `new ConfigFileAuthenticationDetailsProvider(path, profile)`. */
  readonly configFile: { readonly path: string; readonly profile: string; readonly keyId: string };
  /** Environment for `ResourcePrincipalAuthenticationDetailsProvider.builder()` (it reads `process.env` when built). */
  readonly resourcePrincipalEnv: Readonly<Record<string, string>>;
  /** `ST$<rpst>`, the keyId the resource principal provider signs with. */
  readonly resourcePrincipalKeyId: string;
  /** Both keyIds → the public key; pass as `FakeOciApi`'s `trustedKeys`. */
  readonly trustedKeys: Readonly<Record<string, string>>;
  /** Removes the temporary directory. */
  cleanup(): Promise<void>;
}

/** OCI API key fingerprint: MD5 of the DER public key, as colon-separated hex. */
function fingerprintOf(publicKeyPem: string): string {
  const der = createPublicKey(publicKeyPem).export({ type: 'spki', format: 'der' });
  return (createHash('md5').update(der).digest('hex').match(/../g) ?? []).join(':');
}

/** Writes an OCI config file holding one profile. */
function writeProfile(path: string, profile: string, entries: Readonly<Record<string, string>>): Promise<void> {
  const lines = [`[${profile}]`, ...Object.entries(entries).map(([key, value]) => `${key}=${value}`), ''];
  return writeFile(path, lines.join('\n'), { mode: 0o600 });
}

/**
 * A resource principal session token. The SDK only decodes it (never
 * verifies), and reads `exp` (to decide when to re-read the file) and
 * `res_compartment`/`res_tenant` (via `getStringClaim`).
 */
function resourcePrincipalToken(privateKeyPem: string): string {
  const now = Math.floor(Date.now() / 1000);
  return selfSignedToken(
    {
      sub: TEST_FUNCTION_ID,
      iss: 'authService.oracle.com',
      aud: 'oci',
      iat: now,
      exp: now + 10 * 365 * 24 * 3600,
      ttype: 'res',
      res_type: 'fnfunc',
      res_id: TEST_FUNCTION_ID,
      res_compartment: TEST_FUNCTION_COMPARTMENT_ID,
      res_tenant: TEST_TENANCY_ID,
    },
    privateKeyPem,
  );
}

/**
 * Generates an RSA 2048 key pair in a new temporary directory and writes an
 * OCI config file (profile DEFAULT, region us-ashburn-1) and resource
 * principal v2.2 files (private PEM and RPST) for it.
 */
export async function createTestCredentials(): Promise<TestCredentials> {
  const dir = await mkdtemp(join(tmpdir(), 'oci-test-credentials-'));
  const { publicKey: publicKeyPem, privateKey: privateKeyPem } = await new Promise<{ publicKey: string; privateKey: string }>(
    (resolve, reject) => {
      generateKeyPair(
        'rsa',
        { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } },
        (error, publicKey, privateKey) => (error === null ? resolve({ publicKey, privateKey }) : reject(error)),
      );
    },
  );

  const keyPath = join(dir, 'oci_api_key.pem');
  const configPath = join(dir, 'config');
  const fingerprint = fingerprintOf(publicKeyPem);
  await writeFile(keyPath, privateKeyPem, { mode: 0o600 });
  await writeProfile(configPath, 'DEFAULT', {
    user: TEST_USER_ID,
    fingerprint,
    tenancy: TEST_TENANCY_ID,
    region: TEST_REGION,
    key_file: keyPath,
  });

  const rpst = resourcePrincipalToken(privateKeyPem);
  const rpstPath = join(dir, 'rpst');
  const rpPemPath = join(dir, 'rp_private.pem');
  // No trailing newline: the SDK reads the file verbatim into the keyId (`ST$<file content>`).
  await writeFile(rpstPath, rpst, { mode: 0o600 });
  await writeFile(rpPemPath, privateKeyPem, { mode: 0o600 });

  const configKeyId = `${TEST_TENANCY_ID}/${TEST_USER_ID}/${fingerprint}`;
  const resourcePrincipalKeyId = `ST$${rpst}`;
  return {
    dir,
    publicKeyPem,
    privateKeyPem,
    configFile: { path: configPath, profile: 'DEFAULT', keyId: configKeyId },
    resourcePrincipalEnv: {
      OCI_RESOURCE_PRINCIPAL_VERSION: '2.2',
      OCI_RESOURCE_PRINCIPAL_RPST: rpstPath,
      OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM: rpPemPath,
      OCI_RESOURCE_PRINCIPAL_REGION: TEST_REGION,
    },
    resourcePrincipalKeyId,
    trustedKeys: { [configKeyId]: publicKeyPem, [resourcePrincipalKeyId]: publicKeyPem },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

export interface SessionProfile {
  /** A config file holding only this profile. */
  readonly path: string;
  readonly profile: string;
  readonly tokenPath: string;
  /** `ST$<token>`: trust it with the credentials' public key to accept this session. */
  readonly keyId: string;
}

/**
 * Writes a config file with a session-token profile for the credentials'
 * key, as `oci session authenticate` makes one (no user; a
 * `security_token_file`), whose token expires at `expiresAt` (default in an hour).
 */
export async function writeSessionProfile(
  credentials: TestCredentials,
  options: { readonly name?: string; readonly expiresAt?: Date } = {},
): Promise<SessionProfile> {
  const profile = options.name ?? 'SESSION';
  const now = Math.floor(Date.now() / 1000);
  const expiresAt = Math.floor((options.expiresAt?.getTime() ?? Date.now() + 3600_000) / 1000);
  // A jti of its own: RS256 signatures are deterministic, so two profiles written in the same second would otherwise share one token.
  const token = selfSignedToken(
    {
      sub: TEST_USER_ID,
      iss: 'authService.oracle.com',
      aud: 'oci',
      iat: now,
      exp: expiresAt,
      ttype: 'login',
      tenant: TEST_TENANCY_ID,
      jti: randomUUID(),
    },
    credentials.privateKeyPem,
  );
  const tokenPath = join(credentials.dir, `${profile}.token`);
  const path = join(credentials.dir, `${profile}.config`);
  // A trailing newline, as editors and `echo` leave: it must not reach the keyId.
  await writeFile(tokenPath, `${token}\n`, { mode: 0o600 });
  await writeProfile(path, profile, {
    fingerprint: fingerprintOf(credentials.publicKeyPem),
    key_file: join(credentials.dir, 'oci_api_key.pem'),
    tenancy: TEST_TENANCY_ID,
    region: TEST_REGION,
    security_token_file: tokenPath,
  });
  return { path, profile, tokenPath, keyId: `ST$${token}` };
}

/**
 * Runs `build` with `env` merged into `process.env`, then restores it. The
 * resource principal builder reads the environment only while building.
 */
export function withEnv<T>(env: Readonly<Record<string, string>>, build: () => T): T {
  const saved = Object.fromEntries(Object.keys(env).map((name) => [name, process.env[name]]));
  Object.assign(process.env, env);
  try {
    return build();
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

export interface SignedRequestOptions {
  readonly method: 'GET' | 'PUT' | 'POST' | 'DELETE';
  /** Path and query, sent exactly as given, e.g. `/20160918/instances/ocid1…`. */
  readonly path: string;
  readonly keyId: string;
  readonly privateKeyPem: string;
  readonly body?: string;
  /** The body actually sent, when it should differ from the signed `body` (same byte length keeps Content-Length right). */
  readonly sendBody?: string;
  /** The signed `x-date`; defaults to now. */
  readonly date?: Date;
  /** Headers to send as given after signing, e.g. a tampered `x-content-sha256`. */
  readonly overrideHeaders?: Readonly<Record<string, string>>;
}

export interface RawResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** Parsed JSON body, or the text when it is not JSON. */
  readonly body: unknown;
}

/**
 * Sends one request signed the way OCI's SDK signs (draft-cavage HTTP
 * Signatures, `version="1"`), using only node:crypto and node:http.
 */
export function signedRequest(baseUrl: string, options: SignedRequestOptions): Promise<RawResponse> {
  const url = new URL(baseUrl);
  const headers: Record<string, string> = {
    host: url.host,
    'x-date': (options.date ?? new Date()).toUTCString(),
  };
  const signed = ['x-date', '(request-target)', 'host'];
  const body = options.body ?? '';
  if (options.method === 'PUT' || options.method === 'POST') {
    headers['content-type'] = 'application/json';
    headers['content-length'] = String(Buffer.byteLength(body));
    headers['x-content-sha256'] = createHash('sha256').update(body).digest('base64');
    signed.push('content-type', 'content-length', 'x-content-sha256');
  }
  const signingString = signed
    .map((name) =>
      name === '(request-target)' ? `(request-target): ${options.method.toLowerCase()} ${options.path}` : `${name}: ${headers[name] ?? ''}`,
    )
    .join('\n');
  const signature = sign('sha256', Buffer.from(signingString), createPrivateKey(options.privateKeyPem)).toString('base64');
  headers['authorization'] =
    `Signature version="1",keyId="${options.keyId}",algorithm="rsa-sha256",headers="${signed.join(' ')}",signature="${signature}"`;
  Object.assign(headers, options.overrideHeaders ?? {});

  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      { host: url.hostname, port: url.port, method: options.method, path: options.path, headers },
      (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = text;
          try {
            parsed = JSON.parse(text);
          } catch {
            // Not JSON: keep the text for the assertion message.
          }
          resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, body: parsed });
        });
      },
    );
    outgoing.on('error', reject);
    outgoing.end(options.method === 'PUT' || options.method === 'POST' ? (options.sendBody ?? body) : undefined);
  });
}
