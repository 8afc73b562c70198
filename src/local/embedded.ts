/**
 * The fake OCI API embedded in the CLI: it serves a world file on loopback,
 * and the CLI's real SDK clients sign their requests with a key pair made
 * for the run, which the fake trusts. Nothing leaves the machine.
 */
import { createHash, generateKeyPairSync } from 'node:crypto';
import { Region, SimpleAuthenticationDetailsProvider, type AuthenticationDetailsProvider } from 'oci-common';
import { FakeOciApi, type FakeOciApiOptions } from './fake-oci-api';
import type { World } from './world';

const LOCAL_TENANCY = 'ocid1.tenancy.oc1..aaaaaaaalocalfaketenancy000000000000000000000000000000000';
const LOCAL_USER = 'ocid1.user.oc1..aaaaaaaalocalfakeuser000000000000000000000000000000000000';

export interface EmbeddedApi {
  readonly api: FakeOciApi;
  readonly url: string;
  readonly provider: AuthenticationDetailsProvider;
  stop(): Promise<void>;
}

/** Starts the fake API over `world` and returns credentials it accepts. */
export async function startEmbeddedApi(world: World, options: Omit<FakeOciApiOptions, 'world' | 'trustedKeys'> = {}): Promise<EmbeddedApi> {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const der = publicKey.export({ type: 'spki', format: 'der' });
  const fingerprint = (createHash('md5').update(der).digest('hex').match(/../g) ?? []).join(':');
  const api = new FakeOciApi({ ...options, world, trustedKeys: { [`${LOCAL_TENANCY}/${LOCAL_USER}/${fingerprint}`]: publicPem } });
  const url = await api.start();
  const provider = new SimpleAuthenticationDetailsProvider(
    LOCAL_TENANCY,
    LOCAL_USER,
    fingerprint,
    privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    null,
    Region.US_ASHBURN_1,
  );
  return { api, url, provider, stop: () => api.stop() };
}
