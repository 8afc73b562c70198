/**
 * The Identity and identity-domain adapters over the real SDK clients (real
 * signing) against the fake OCI API: compartments, groups, policies, the tag
 * catalogue, and an identity domain whose rules come back only when asked.
 */
import { Region, SimpleAuthenticationDetailsProvider, type AuthenticationDetailsProvider } from 'oci-common';
import { requests } from 'oci-identity';
import { createCallScope, DEFAULT_RETRY_POLICY, type CallScope } from '../../src/call-scope';
import { embeddedAuthProvider } from '../../src/cli/embedded-credentials';
import { Deadline } from '../../src/deadline';
import { OciCallError, UsageError } from '../../src/errors';
import type { IdentityPort } from '../../src/iam/access-model';
import { startEmbeddedApi } from '../../src/local/embedded';
import type { FakeOciApi } from '../../src/local/fake-oci-api';
import { parseWorld, type World } from '../../src/local/world';
import { silentLogger } from '../../src/log';
import { createIdentityAdapter } from '../../src/oci/access-adapters';
import { createAccessClients } from '../../src/oci/access-clients';
import { createIdentityDomainPorts } from '../../src/oci/identity-domain-adapter';
import { useFakeApiHarness } from '../helpers/fake-api-harness';
import {
  compartmentOcid,
  COMPARTMENT_TREE,
  dynamicGroupOcid,
  ID_DOMAIN_ID,
  ID_DOMAIN_URL,
  ID_TENANCY,
  identityWorldJson,
} from '../helpers/identity-world';
import { TEST_REGION, type TestCredentials } from '../helpers/oci-credentials';

const harness = useFakeApiHarness();

function newScope(): CallScope {
  return createCallScope({ deadline: Deadline.inSeconds(20), logger: silentLogger, policy: { ...DEFAULT_RETRY_POLICY, baseDelayMs: 5 } });
}

/** A provider signing with the key of `credentials` (its keyId is `tenancy/user/fingerprint`). */
function keyProvider(credentials: TestCredentials): AuthenticationDetailsProvider {
  const [tenancy = '', user = '', fingerprint = ''] = credentials.configFile.keyId.split('/');
  return new SimpleAuthenticationDetailsProvider(
    tenancy,
    user,
    fingerprint,
    credentials.privateKeyPem,
    null,
    Region.fromRegionId(TEST_REGION),
  );
}

function identityWorld(): World {
  return parseWorld(identityWorldJson(), 'identity-world');
}

async function identityOver(api: FakeOciApi, credentials = harness.credentials): Promise<IdentityPort> {
  const { identity } = createAccessClients(keyProvider(credentials), { endpoint: api.url });
  return createIdentityAdapter(identity, newScope());
}

describe('Identity over the fake OCI API', () => {
  it('lists the whole compartment tree of the tenancy over several pages', async () => {
    // Prepare
    const api = await harness.startApi({ world: identityWorld(), pageSize: 2 });
    const identity = await identityOver(api);

    // Act
    const compartments = await identity.listCompartments(ID_TENANCY);

    // Assess
    expect(compartments.map((compartment) => [compartment.name, compartment.parentId])).toEqual(
      COMPARTMENT_TREE.map(([name, parent]) => [name, parent === undefined ? ID_TENANCY : compartmentOcid(parent)]),
    );
    expect(compartments.find((compartment) => compartment.name === 'retired')?.lifecycleState).toBe('DELETED');
    expect(api.count('ListCompartments')).toBe(3);
  });

  it('lists only direct children without compartmentIdInSubtree, and refuses it below the tenancy', async () => {
    // Prepare
    const api = await harness.startApi({ world: identityWorld() });
    const { identity } = createAccessClients(keyProvider(harness.credentials), { endpoint: api.url });

    // Act
    const children = await identity.listCompartments({ compartmentId: compartmentOcid('apps') });
    const belowTenancy = identity.listCompartments({
      compartmentId: compartmentOcid('apps'),
      compartmentIdInSubtree: true,
      accessLevel: requests.ListCompartmentsRequest.AccessLevel.Any,
    });

    // Assess
    expect(children.items.map((compartment) => compartment.name)).toEqual(['apps-prod', 'apps-dev']);
    await expect(belowTenancy).rejects.toMatchObject({ statusCode: 400, serviceCode: 'InvalidParameter' });
  });

  it('reads one compartment, and answers 404 for one that does not exist', async () => {
    // Prepare
    const api = await harness.startApi({ world: identityWorld() });
    const { identity } = createAccessClients(keyProvider(harness.credentials), { endpoint: api.url });

    // Act
    const found = await identity.getCompartment({ compartmentId: compartmentOcid('apps-dev') });
    const missing = identity.getCompartment({ compartmentId: compartmentOcid('nowhere') });

    // Assess
    expect(found.compartment).toMatchObject({ name: 'apps-dev', compartmentId: compartmentOcid('apps') });
    await expect(missing).rejects.toMatchObject({ statusCode: 404, serviceCode: 'NotAuthorizedOrNotFound' });
  });

  it('lists the Default domain dynamic groups with their rules', async () => {
    // Prepare
    const api = await harness.startApi({ world: identityWorld(), pageSize: 1 });
    const identity = await identityOver(api);

    // Act
    const groups = await identity.listDynamicGroups(ID_TENANCY);

    // Assess
    expect(groups).toEqual([
      expect.objectContaining({ id: dynamicGroupOcid('pool-apps'), name: 'pool-apps', matchingRule: expect.stringContaining("'apps'") }),
      expect.objectContaining({ id: dynamicGroupOcid('tagger'), matchingRule: "ALL {resource.type = 'fnfunc'}" }),
    ]);
    expect(api.count('ListDynamicGroups')).toBe(2);
  });

  it('lists the policies attached to each compartment, and none for a compartment without', async () => {
    // Prepare
    const api = await harness.startApi({ world: identityWorld() });
    const identity = await identityOver(api);

    // Act
    const root = await identity.listPolicies(ID_TENANCY);
    const apps = await identity.listPolicies(compartmentOcid('apps'));
    const dev = await identity.listPolicies(compartmentOcid('apps-dev'));

    // Assess
    expect(root.map((policy) => policy.name)).toEqual(['root-policy']);
    expect(apps).toEqual([
      expect.objectContaining({ name: 'apps-policy', statements: expect.arrayContaining([expect.stringContaining('pool-apps')]) }),
    ]);
    expect(dev).toEqual([]);
  });

  it('lists the tag namespaces and which of them and of their keys are retired', async () => {
    // Prepare
    const api = await harness.startApi({ world: identityWorld() });
    const identity = await identityOver(api);

    // Act
    const namespaces = await identity.listTagNamespaces(ID_TENANCY);
    const keysOf = async (name: string) => identity.listTagKeys(namespaces.find((namespace) => namespace.name === name)?.id ?? '');
    const ours = await keysOf('oke-nodepool-tags');
    const legacy = await keysOf('Legacy');

    // Assess
    expect(namespaces.map((namespace) => [namespace.name, namespace.isRetired, namespace.compartmentId])).toEqual([
      ['oke-nodepool-tags', false, ID_TENANCY],
      ['Legacy', true, ID_TENANCY],
    ]);
    expect(namespaces[0]?.id).toMatch(/^ocid1\.tagnamespace\.oc1\.\./);
    expect(ours).toEqual([
      { name: 'oke-nodepool-name', isRetired: false },
      { name: 'old-pool-name', isRetired: true },
    ]);
    expect(legacy).toEqual([{ name: 'owner', isRetired: true }]);
  });

  it('refuses a request signed with a key it does not trust', async () => {
    // Prepare
    const api = await harness.startApi({ world: identityWorld() });
    const identity = await identityOver(api, harness.strangerCredentials);

    // Act
    const listing = identity.listCompartments(ID_TENANCY);

    // Assess
    await expect(listing).rejects.toThrow(OciCallError);
    await expect(listing).rejects.toMatchObject({ statusCode: 401, serviceCode: 'NotAuthenticated' });
  });

  it('refuses an unknown query parameter', async () => {
    // Prepare
    const api = await harness.startApi({ world: identityWorld() });

    // Act
    const answers = await Promise.all([
      harness.signedGet(api, `/20160918/compartments?compartmentId=${ID_TENANCY}&colour=blue`),
      harness.signedGet(api, `/20160918/policies?compartmentId=${ID_TENANCY}&includeSubcompartments=true`),
      harness.signedGet(api, `/domains/${ID_DOMAIN_ID}/admin/v1/DynamicResourceGroups?pageSize=2`),
    ]);

    // Assess
    expect(answers.map((answer) => [answer.status, (answer.body as { message?: string }).message])).toEqual([
      [400, 'Unknown query parameter: colour'],
      [400, 'Unknown query parameter: includeSubcompartments'],
      [400, 'Unknown query parameter: pageSize'],
    ]);
  });
});

describe('identity domains over the fake OCI API', () => {
  const settings = (api: FakeOciApi, urls: string[]) => ({ tenancyId: ID_TENANCY, urls, embeddedUrl: api.url });

  it('answers SCIM lists without the matching rule unless it is asked for', async () => {
    // Prepare
    const api = await harness.startApi({ world: identityWorld() });
    const path = `/domains/${ID_DOMAIN_ID}/admin/v1/DynamicResourceGroups`;

    // Act
    const plain = await harness.signedGet(api, path);
    const asked = await harness.signedGet(api, `${path}?attributes=matchingRule`);
    const all = await harness.signedGet(api, `${path}?attributeSets=all&count=1&startIndex=3`);

    // Assess
    const resources = (answer: { body: unknown }) => (answer.body as { Resources: Record<string, unknown>[] }).Resources;
    expect(plain.body).toMatchObject({ totalResults: 3, startIndex: 1, itemsPerPage: 3 });
    expect(resources(plain).every((group) => !('matchingRule' in group) && typeof group['displayName'] === 'string')).toBe(true);
    expect(resources(asked).map((group) => group['matchingRule'])).toEqual([
      expect.stringContaining("'web'"),
      undefined,
      expect.stringContaining("'batch'"),
    ]);
    expect(resources(asked)[0]).not.toHaveProperty('displayName');
    expect(all.body).toMatchObject({ totalResults: 3, startIndex: 3, itemsPerPage: 1 });
    expect(resources(all)[0]).toMatchObject({ displayName: 'pool-batch', matchingRule: expect.stringContaining("'batch'") });
  });

  it('reads a domain named by its URL, with every group and its rule, over SCIM pages', async () => {
    // Prepare
    const api = await harness.startApi({ world: identityWorld(), pageSize: 2 });
    const provider = keyProvider(harness.credentials);
    const { identity } = createAccessClients(provider, { endpoint: api.url });
    const url = 'https://IDCS-0123456789abcdef.identity.oraclecloud.com/';

    // Act
    const [port] = await createIdentityDomainPorts(provider, identity, newScope(), settings(api, [url]));
    const groups = await port?.listDynamicGroups();

    // Assess
    expect(port?.domain).toBe('Workloads');
    expect(groups).toEqual([
      expect.objectContaining({
        id: dynamicGroupOcid('domain-pool-web'),
        name: 'pool-web',
        domain: 'Workloads',
        compartmentId: ID_TENANCY,
      }),
      expect.objectContaining({ id: dynamicGroupOcid('domain-pool-db'), name: 'pool-db', matchingRule: undefined, domain: 'Workloads' }),
      expect.objectContaining({ id: dynamicGroupOcid('domain-pool-batch'), matchingRule: expect.stringContaining("'batch'") }),
    ]);
    expect(groups?.[0]?.matchingRule).toContain("'web'");
    expect(api.count('ListDomains')).toBe(1);
    expect(api.count('ListDynamicResourceGroups')).toBe(2);
    expect(api.unrouted).toEqual([]);
  });

  it('refuses a URL that names no domain of the tenancy, naming it and the domains found', async () => {
    // Prepare
    const api = await harness.startApi({ world: identityWorld() });
    const provider = keyProvider(harness.credentials);
    const { identity } = createAccessClients(provider, { endpoint: api.url });
    const url = 'https://idcs-ffffffffffffffff.identity.oraclecloud.com';

    // Act
    const creating = createIdentityDomainPorts(provider, identity, newScope(), settings(api, [ID_DOMAIN_URL, url]));

    // Assess
    await expect(creating).rejects.toThrow(UsageError);
    await expect(creating).rejects.toThrow(
      `--identity-domain-url ${url} names no identity domain of the tenancy; found: Workloads (${ID_DOMAIN_URL})`,
    );
  });

  it('makes no call when no domain URL is named', async () => {
    // Prepare
    const api = await harness.startApi({ world: identityWorld() });
    const provider = keyProvider(harness.credentials);
    const { identity } = createAccessClients(provider, { endpoint: api.url });

    // Act
    const ports = await createIdentityDomainPorts(provider, identity, newScope(), settings(api, []));

    // Assess
    expect(ports).toEqual([]);
    expect(api.count()).toBe(0);
  });
});

describe('the embedded fake over a world that names its tenancy', () => {
  it('signs as that tenancy, so the Identity reads start from it', async () => {
    // Prepare
    const embedded = await startEmbeddedApi(identityWorld());

    try {
      // Act
      const { identity } = createAccessClients(embeddedAuthProvider(embedded.credentials), { endpoint: embedded.url });
      const compartments = await createIdentityAdapter(identity, newScope()).listCompartments(embedded.credentials.tenancy);

      // Assess
      expect(embedded.credentials.tenancy).toBe(ID_TENANCY);
      expect(compartments).toHaveLength(COMPARTMENT_TREE.length);
    } finally {
      await embedded.stop();
    }
  });
});
