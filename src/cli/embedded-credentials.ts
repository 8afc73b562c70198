/** The SDK's signing provider for the embedded fake's key material. */
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
