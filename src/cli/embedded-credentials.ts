/**
 * Credentials for the embedded fake's key material: the SDK's signing
 * provider for the CLI itself, and resource principal files for the built
 * function that `serve` runs, as OCI Functions hands them to a function.
 */
import { createPrivateKey, createPublicKey, sign } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Region, SimpleAuthenticationDetailsProvider, type AuthenticationDetailsProvider } from 'oci-common';
import { TaggerError } from '../errors';
import type { EmbeddedKeyMaterial } from '../local/embedded';

/** Builds the provider that signs requests with the key the embedded fake trusts. */
export function embeddedAuthProvider(credentials: EmbeddedKeyMaterial): AuthenticationDetailsProvider {
  const region = Region.fromRegionId(credentials.regionId);
  if (region === undefined) throw new TaggerError(`embedded fake OCI API: unknown region ${credentials.regionId}`);
  return new SimpleAuthenticationDetailsProvider(
    credentials.tenancy,
    credentials.user,
    credentials.fingerprint,
    credentials.privateKeyPem,
    null,
    region,
  );
}

/**
 * A JWT signed RS256 with `privateKeyPem`, shaped as OCI's session tokens
 * (resource principal tokens, `oci session authenticate` tokens). The SDK
 * decodes such tokens and never verifies them; OCI accepts the keyId
 * `ST$<token>` only for a token it issued, as the fake does for the tokens
 * it is told to trust.
 */
export function selfSignedToken(claims: Readonly<Record<string, unknown>>, privateKeyPem: string): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const signed = `${encode({ alg: 'RS256', typ: 'JWT', kid: 'asw' })}.${encode(claims)}`;
  return `${signed}.${sign('sha256', Buffer.from(signed), createPrivateKey(privateKeyPem)).toString('base64url')}`;
}

export interface ResourcePrincipalFiles {
  /** The environment OCI Functions sets for resource principal v2.2. */
  readonly env: Readonly<Record<string, string>>;
  /** `ST$<token>`, the keyId the function signs with. */
  readonly keyId: string;
  readonly publicKeyPem: string;
}

const FUNCTION_LIFETIME_SECONDS = 365 * 24 * 3600;

/** Writes resource principal v2.2 files for the embedded key into `dir`, for a function that `functionId` names. */
export async function writeResourcePrincipal(
  credentials: EmbeddedKeyMaterial,
  dir: string,
  functionId: string,
): Promise<ResourcePrincipalFiles> {
  const now = Math.floor(Date.now() / 1000);
  const publicKeyPem = createPublicKey(credentials.privateKeyPem).export({ type: 'spki', format: 'pem' }).toString();
  const token = selfSignedToken(
    {
      sub: functionId,
      iss: 'authService.oracle.com',
      aud: 'oci',
      iat: now,
      exp: now + FUNCTION_LIFETIME_SECONDS,
      ttype: 'res',
      res_type: 'fnfunc',
      res_id: functionId,
      res_compartment: credentials.tenancy,
      res_tenant: credentials.tenancy,
    },
    credentials.privateKeyPem,
  );
  const tokenPath = join(dir, 'rpst');
  const keyPath = join(dir, 'rp_private.pem');
  // No trailing newline: the SDK reads the token file verbatim into the keyId.
  await writeFile(tokenPath, token, { mode: 0o600 });
  await writeFile(keyPath, credentials.privateKeyPem, { mode: 0o600 });
  return {
    env: {
      OCI_RESOURCE_PRINCIPAL_VERSION: '2.2',
      OCI_RESOURCE_PRINCIPAL_RPST: tokenPath,
      OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM: keyPath,
      OCI_RESOURCE_PRINCIPAL_REGION: credentials.regionId,
    },
    keyId: `ST$${token}`,
    publicKeyPem,
  };
}
