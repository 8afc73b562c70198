/**
 * Builds the authentication provider named by `oci_auth`. Construction is
 * lazy and cached by the composition root, so key parsing happens once per
 * process, not per invocation.
 */
import * as common from 'oci-common';
import type { AuthMode } from '../config';
import { ConfigError, TaggerError } from '../errors';

export interface AuthSettings {
  readonly auth: AuthMode;
  readonly ociConfigFile?: string | undefined;
  readonly ociProfile?: string | undefined;
}

/** Creates the provider; errors name the setting or file at fault. */
export async function createAuthProvider(settings: AuthSettings): Promise<common.AuthenticationDetailsProvider> {
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
      try {
        return await new common.InstancePrincipalsAuthenticationDetailsProviderBuilder().build();
      } catch (error) {
        throw new TaggerError(
          `instance principal credentials could not be obtained from the instance metadata service: ${message(error)}`,
          { cause: error },
        );
      }
    case 'config_file': {
      const file = settings.ociConfigFile ?? process.env.OCI_CONFIG_FILE ?? '~/.oci/config';
      try {
        return new common.ConfigFileAuthenticationDetailsProvider(settings.ociConfigFile, settings.ociProfile);
      } catch (error) {
        throw new ConfigError(
          'OCI_CONFIG_FILE',
          `cannot use OCI config file ${file} (profile ${settings.ociProfile ?? 'DEFAULT'}): ${message(error)}`,
        );
      }
    }
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
