/**
 * The fake OCI API embedded in the CLI: it serves a world file on loopback,
 * and trusts a key pair made for the run. The key material is handed back
 * as plain values; the CLI turns it into the SDK's signing provider, so this
 * folder stays free of `oci-*` imports. Nothing leaves the machine.
 */
import { createHash, generateKeyPairSync } from 'node:crypto';
import { FakeOciApi, type FakeOciApiOptions } from './fake-oci-api';
import type { World } from './world-types';

const LOCAL_TENANCY = 'ocid1.tenancy.oc1..aaaaaaaalocalfaketenancy000000000000000000000000000000000';
const LOCAL_USER = 'ocid1.user.oc1..aaaaaaaalocalfakeuser000000000000000000000000000000000000';
const LOCAL_REGION = 'us-ashburn-1';

/** API-key credentials the embedded fake accepts, in the fields of an OCI config file profile. */
export interface EmbeddedKeyMaterial {
  readonly tenancy: string;
  readonly user: string;
  /** MD5 fingerprint of the public key, colon-separated, as OCI shows it. */
  readonly fingerprint: string;
  readonly privateKeyPem: string;
  /** The region id the requests are signed for (e.g. `us-ashburn-1`). */
  readonly regionId: string;
}

export interface EmbeddedApi {
  readonly api: FakeOciApi;
  readonly url: string;
  readonly credentials: EmbeddedKeyMaterial;
  stop(): Promise<void>;
}

/**
 * Starts the fake API over `world` and returns credentials it accepts. They
 * name the world's `tenancyId` when it has one (so requests are signed as
 * that tenancy), else a fixed local tenancy.
 */
export async function startEmbeddedApi(world: World, options: Omit<FakeOciApiOptions, 'world' | 'trustedKeys'> = {}): Promise<EmbeddedApi> {
  const tenancy = world.tenancyId ?? LOCAL_TENANCY;
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const der = publicKey.export({ type: 'spki', format: 'der' });
  const fingerprint = (createHash('md5').update(der).digest('hex').match(/../g) ?? []).join(':');
  const api = new FakeOciApi({ ...options, world, trustedKeys: { [`${tenancy}/${LOCAL_USER}/${fingerprint}`]: publicPem } });
  const url = await api.start();
  const credentials: EmbeddedKeyMaterial = {
    tenancy,
    user: LOCAL_USER,
    fingerprint,
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    regionId: LOCAL_REGION,
  };
  return { api, url, credentials, stop: () => api.stop() };
}
