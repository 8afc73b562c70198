/**
 * Identity domains other than Default: their dynamic resource groups, read
 * through `oci-identitydomains` at each domain's URL (`--identity-domain-url`).
 */
import type { AuthenticationDetailsProvider } from 'oci-common';
import type { IdentityClient } from 'oci-identity';
import type { CallScope } from '../call-scope';
import type { IdentityDomainPort } from '../iam/access-model';

export interface IdentityDomainSettings {
  readonly tenancyId: string;
  /** The domains' URLs, as `--identity-domain-url` names them. */
  readonly urls: readonly string[];
  /** Set when the calls go to the embedded fake, which serves every domain below its own URL. */
  readonly embeddedUrl?: string;
}

/** One port per named domain. */
export async function createIdentityDomainPorts(
  _provider: AuthenticationDetailsProvider,
  _identity: IdentityClient,
  _scope: CallScope,
  settings: IdentityDomainSettings,
): Promise<IdentityDomainPort[]> {
  if (settings.urls.length > 0) throw new Error('identity domains are not read yet');
  return [];
}
