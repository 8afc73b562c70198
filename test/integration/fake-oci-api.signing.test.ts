/**
 * The fake OCI API's request signature checks, met through the real SDK's signers and a hand-made one.
 */
import * as common from 'oci-common';
import { useFakeApiHarness } from '../helpers/fake-api-harness';
import { signedRequest, withEnv } from '../helpers/oci-credentials';
import { buildWorld, nodeInstanceAt, poolAt } from '../helpers/worlds';

const harness = useFakeApiHarness();
const { startApi, clientsFor, configFileProvider } = harness;

describe('request signing', () => {
  it('accepts requests signed through a config file provider', async () => {
    // Prepare
    const world = buildWorld();
    const api = await startApi({ world, trustedKeys: { [harness.credentials.configFile.keyId]: harness.credentials.publicKeyPem } });
    const { compute } = clientsFor(api);
    const expected = nodeInstanceAt(world, 0, 0);

    // Act
    const response = await compute.getInstance({ instanceId: expected.id });

    // Assess
    expect(response.instance.displayName).toBe(expected.displayName);
    expect(api.calls).toEqual([{ operation: 'GetInstance', resourceId: expected.id, status: 200 }]);
  });

  it('accepts requests signed through a resource principal provider with the RPST keyId', async () => {
    // Prepare
    const world = buildWorld();
    const api = await startApi({ world, trustedKeys: { [harness.credentials.resourcePrincipalKeyId]: harness.credentials.publicKeyPem } });
    const provider = withEnv(harness.credentials.resourcePrincipalEnv, () =>
      common.ResourcePrincipalAuthenticationDetailsProvider.builder(),
    );
    const { containerEngine } = clientsFor(api, provider);

    // Act
    const response = await containerEngine.getNodePool({ nodePoolId: poolAt(world, 0).id });

    // Assess
    expect(response.nodePool.name).toBe('pool-1');
    expect(await provider.getKeyId()).toBe(harness.credentials.resourcePrincipalKeyId);
    expect(await provider.getStringClaim('res_compartment')).toMatch(/^ocid1\.compartment\./);
  });

  it('answers 401 NotAuthenticated to a keyId it does not trust', async () => {
    // Prepare
    const world = buildWorld();
    const api = await startApi({ world });
    const { compute } = clientsFor(api, configFileProvider(harness.strangerCredentials));

    // Act
    const attempt = compute.getInstance({ instanceId: nodeInstanceAt(world, 0, 0).id });

    // Assess
    await expect(attempt).rejects.toMatchObject({ statusCode: 401, serviceCode: 'NotAuthenticated' });
    expect(api.calls).toEqual([expect.objectContaining({ operation: 'GetInstance', status: 401 })]);
  });

  it('answers 401 when the signature does not verify with the trusted key', async () => {
    // Prepare: the keyId is trusted, but with someone else's public key.
    const world = buildWorld();
    const api = await startApi({
      world,
      trustedKeys: { [harness.credentials.configFile.keyId]: harness.strangerCredentials.publicKeyPem },
    });
    const { compute } = clientsFor(api);

    // Act
    const attempt = compute.getInstance({ instanceId: nodeInstanceAt(world, 0, 0).id });

    // Assess
    await expect(attempt).rejects.toMatchObject({ statusCode: 401, message: expect.stringContaining('signature does not verify') });
  });

  it('answers 401 to an unsigned request', async () => {
    // Prepare
    const world = buildWorld();
    const api = await startApi({ world });

    // Act
    const response = await fetch(`${api.url}/20160918/instances/${nodeInstanceAt(world, 0, 0).id}`);

    // Assess
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ code: 'NotAuthenticated' });
  });

  it('answers 401 when the signed date is more than 5 minutes off, and accepts 4 minutes', async () => {
    // Prepare
    const world = buildWorld();
    const api = await startApi({ world });
    const path = `/20160918/instances/${nodeInstanceAt(world, 0, 0).id}`;
    const signer = {
      method: 'GET',
      path,
      keyId: harness.credentials.configFile.keyId,
      privateKeyPem: harness.credentials.privateKeyPem,
    } as const;

    // Act
    const stale = await signedRequest(api.url, { ...signer, date: new Date(Date.now() - 6 * 60 * 1000) });
    const slightlyOff = await signedRequest(api.url, { ...signer, date: new Date(Date.now() + 4 * 60 * 1000) });

    // Assess
    expect(stale.status).toBe(401);
    expect(stale.body).toMatchObject({ code: 'NotAuthenticated', message: expect.stringContaining('clock skew') });
    expect(slightlyOff.status).toBe(200);
  });

  it('answers 401 when the body sent is not the body whose hash was signed', async () => {
    // Prepare
    const world = buildWorld();
    const api = await startApi({ world });
    const instance = nodeInstanceAt(world, 0, 0);

    // Act
    const response = await signedRequest(api.url, {
      method: 'PUT',
      path: `/20160918/instances/${instance.id}`,
      keyId: harness.credentials.configFile.keyId,
      privateKeyPem: harness.credentials.privateKeyPem,
      body: '{"displayName":"aaaa"}',
      sendBody: '{"displayName":"bbbb"}',
    });

    // Assess
    expect(response.status).toBe(401);
    expect(response.body).toMatchObject({ message: expect.stringContaining('x-content-sha256') });
    expect(api.getInstance(instance.id)?.displayName).toBe(instance.displayName);
  });
});
