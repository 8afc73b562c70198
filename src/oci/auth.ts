/**
 * Builds the authentication provider named by `oci_auth`. Construction is
 * lazy and cached by the composition root, so key parsing happens once per
 * process, not per invocation. Each failure names what is missing and the
 * command that fixes it, and none waits longer than the metadata bound.
 */
import * as common from 'oci-common';
import type { AuthMode } from '../config';
import { ConfigError, TaggerError } from '../errors';
import { readConfigProfile, readProfileFile, requireKeys, tokenExpiry, type ConfigProfile } from './config-profile';

export interface AuthSettings {
  readonly auth: AuthMode;
  readonly ociConfigFile?: string | undefined;
  readonly ociProfile?: string | undefined;
}

/** Where credentials come from besides files; tests replace the instance metadata service. */
export interface AuthSources {
  /** Builds instance principal credentials; by default from the instance metadata service. */
  readonly instancePrincipal?: () => Promise<common.AuthenticationDetailsProvider>;
  /** How long building instance principal credentials may take; default {@link METADATA_TIMEOUT_MS}. */
  readonly metadataTimeoutMs?: number;
  /** The clock session tokens are checked against. */
  readonly now?: () => number;
}

/**
 * The bound on the instance metadata service. It answers within milliseconds
 * on an instance; elsewhere the SDK's requests to 169.254.169.254 can hang
 * for minutes, so a failing run must stop well inside 10 s.
 */
export const METADATA_TIMEOUT_MS = 5000;

const METADATA_URL = 'http://169.254.169.254/opc/v2/';
const ON_INSTANCE_ONLY = 'this works only on an OCI compute instance (a bastion, say) in a dynamic group that a policy grants the rights';

/** Creates the provider; errors name the setting, file or service at fault and how to fix it. */
export async function createAuthProvider(settings: AuthSettings, sources: AuthSources = {}): Promise<common.AuthenticationDetailsProvider> {
  switch (settings.auth) {
    case 'resource_principal':
      try {
        return common.ResourcePrincipalAuthenticationDetailsProvider.builder();
      } catch (error) {
        throw new ConfigError(
          'oci_auth',
          `resource principal credentials could not be read (OCI_RESOURCE_PRINCIPAL_VERSION, OCI_RESOURCE_PRINCIPAL_RPST, OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM, OCI_RESOURCE_PRINCIPAL_REGION): ${message(error)}`,
        );
      }
    case 'instance_principal':
      return instancePrincipal(sources, 'instance principal');
    case 'security_token':
      return sessionTokenProvider(readConfigProfile(settings.ociConfigFile, settings.ociProfile), sources.now ?? Date.now);
    case 'config_file':
      return configFileProvider(readConfigProfile(settings.ociConfigFile, settings.ociProfile), sources);
  }
}

/** Builds instance principal credentials within the metadata bound. `what` names the mode or profile in errors. */
async function instancePrincipal(sources: AuthSources, what: string): Promise<common.AuthenticationDetailsProvider> {
  const build = sources.instancePrincipal ?? (() => new common.InstancePrincipalsAuthenticationDetailsProviderBuilder().build());
  const timeoutMs = sources.metadataTimeoutMs ?? METADATA_TIMEOUT_MS;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new TaggerError(
            `${what}: the instance metadata service (${METADATA_URL}) did not answer within ${timeoutMs / 1000} s; ${ON_INSTANCE_ONLY}`,
          ),
        ),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([build(), late]);
  } catch (error) {
    if (error instanceof TaggerError) throw error;
    throw new TaggerError(
      `${what}: credentials could not be obtained from the instance metadata service: ${message(error)}; ${ON_INSTANCE_ONLY}`,
      {
        cause: error,
      },
    );
  } finally {
    clearTimeout(timer);
  }
}

/**
 * An API-key profile, or a profile that signs as Cloud Shell's does:
 * `authentication_type=instance_principal` with a `delegation_token_file`.
 * The SDK sends that delegation token with every request and signs with
 * instance principal credentials, which it would build on the first request
 * without a bound; they are built here, within it, instead.
 */
async function configFileProvider(profile: ConfigProfile, sources: AuthSources): Promise<common.AuthenticationDetailsProvider> {
  const authType = profile.get('authentication_type');
  if (authType !== undefined) {
    if (authType !== 'instance_principal') {
      throw new TaggerError(
        `profile [${profile.name}] in ${profile.file} has authentication_type=${authType}; the OCI SDK for TypeScript signs only with authentication_type=instance_principal and a delegation_token_file, as in Cloud Shell`,
      );
    }
    requireKeys(profile, ['tenancy', 'region', 'delegation_token_file'], 'a Cloud Shell profile');
    readProfileFile(profile, 'delegation_token_file');
    const provider = sdkProvider(profile, () => new common.ConfigFileAuthenticationDetailsProvider(profile.file, profile.name));
    provider.setProvider(await instancePrincipal(sources, `profile [${profile.name}] in ${profile.file} (Cloud Shell's delegation token)`));
    return provider;
  }
  if (profile.get('security_token_file') !== undefined) {
    throw new TaggerError(
      `profile [${profile.name}] in ${profile.file} is a session-token profile (security_token_file, made by "oci session authenticate"); sign with it in auth mode security_token`,
    );
  }
  requireKeys(profile, ['user', 'fingerprint', 'key_file', 'tenancy', 'region'], 'an API-key profile ("oci setup config" writes one)');
  readProfileFile(profile, 'key_file');
  return sdkProvider(profile, () => new common.ConfigFileAuthenticationDetailsProvider(profile.file, profile.name));
}

/** A profile made by `oci session authenticate`: a session token and the key it was issued for. */
function sessionTokenProvider(profile: ConfigProfile, now: () => number): common.AuthenticationDetailsProvider {
  const session = `"oci session authenticate --profile-name ${profile.name}"`;
  if (profile.get('security_token_file') === undefined) {
    throw new TaggerError(
      `profile [${profile.name}] in ${profile.file} has no security_token_file, so it is not a session-token profile; create one with ${session}`,
    );
  }
  requireKeys(
    profile,
    ['fingerprint', 'key_file', 'tenancy', 'region', 'security_token_file'],
    `a session-token profile (${session} writes one)`,
  );
  // The file's trailing newline, if any, must not end up in the keyId.
  const token = readProfileFile(profile, 'security_token_file').trim();
  const expiry = tokenExpiry(token);
  if (expiry === undefined) {
    throw new TaggerError(
      `security_token_file of profile [${profile.name}] in ${profile.file} holds no session token (a JWT with an expiry); sign in again with ${session}`,
    );
  }
  if (expiry.getTime() <= now()) {
    throw new TaggerError(
      `the session token of profile [${profile.name}] in ${profile.file} expired at ${expiry.toISOString()}; refresh it with "oci session refresh --profile ${profile.name}" or sign in again with ${session}`,
    );
  }
  readProfileFile(profile, 'key_file');
  const provider = sdkProvider(profile, () => new common.SessionAuthDetailProvider(profile.file, profile.name));
  provider.sessionToken = token;
  return provider;
}

/** Runs the SDK's constructor on a profile already checked, naming the profile if it still refuses. */
function sdkProvider<T>(profile: ConfigProfile, build: () => T): T {
  try {
    return build();
  } catch (error) {
    throw new TaggerError(`cannot use profile [${profile.name}] in ${profile.file}: ${message(error)}`, { cause: error });
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
