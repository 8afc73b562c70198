/**
 * The fake's Compute routes (instances), through the real SDK client.
 */
import { requests } from 'oci-core';
import { useFakeApiHarness } from '../helpers/fake-api-harness';
import {
  buildWorld,
  fakeOcid,
  NODEPOOL_TAG_KEY,
  NODEPOOL_TAG_NAMESPACE,
  nodeInstanceAt,
  poolAt,
  TEST_COMPARTMENT_ID,
} from '../helpers/worlds';

const { startApi, clientsFor } = useFakeApiHarness();

describe('Compute', () => {
  it('pages ListInstances across several pages', async () => {
    // Prepare
    const world = buildWorld({ pools: 2, nodesPerPool: 3, selfManagedInstances: 1 });
    const api = await startApi({ world, pageSize: 3 });
    const { compute } = clientsFor(api);

    // Act
    const seen: string[] = [];
    const pageSizes: number[] = [];
    let page: string | undefined;
    do {
      const response = await compute.listInstances({ compartmentId: TEST_COMPARTMENT_ID, ...(page === undefined ? {} : { page }) });
      seen.push(...response.items.map((item) => item.id));
      pageSizes.push(response.items.length);
      page = response.opcNextPage;
    } while (page !== undefined);

    // Assess
    expect(pageSizes).toEqual([3, 3, 1]);
    expect(seen).toEqual(world.instances.map((instance) => instance.id));
  });

  it('filters ListInstances by lifecycle state across pages', async () => {
    // Prepare
    const world = buildWorld({ nodesPerPool: 5 });
    for (const index of [0, 2, 4]) nodeInstanceAt(world, 0, index).lifecycleState = 'TERMINATED';
    const api = await startApi({ world, pageSize: 2 });
    const { compute } = clientsFor(api);

    // Act
    const seen: string[] = [];
    let page: string | undefined;
    do {
      const response = await compute.listInstances({
        compartmentId: TEST_COMPARTMENT_ID,
        lifecycleState: 'TERMINATED',
        ...(page === undefined ? {} : { page }),
      });
      seen.push(...response.items.map((item) => item.id));
      page = response.opcNextPage;
    } while (page !== undefined);

    // Assess
    expect(seen).toEqual([0, 2, 4].map((index) => nodeInstanceAt(world, 0, index).id));
    expect(api.count('ListInstances')).toBe(2);
  });

  it('returns timeCreated from GetInstance and ListInstances, and sorts by it newest first unless told otherwise', async () => {
    // Prepare
    const world = buildWorld({ nodesPerPool: 3 });
    const times = ['2026-11-20T10:00:00.000Z', '2026-11-22T10:00:00.000Z', '2026-11-21T10:00:00.000Z'];
    times.forEach((time, index) => (nodeInstanceAt(world, 0, index).timeCreated = time));
    const api = await startApi({ world });
    const { compute } = clientsFor(api);

    // Act
    const got = await compute.getInstance({ instanceId: nodeInstanceAt(world, 0, 1).id });
    const newestFirst = await compute.listInstances({
      compartmentId: TEST_COMPARTMENT_ID,
      sortBy: requests.ListInstancesRequest.SortBy.Timecreated,
    });
    const oldestFirst = await compute.listInstances({
      compartmentId: TEST_COMPARTMENT_ID,
      sortBy: requests.ListInstancesRequest.SortBy.Timecreated,
      sortOrder: requests.ListInstancesRequest.SortOrder.Asc,
    });

    // Assess
    expect(String(got.instance.timeCreated)).toBe(times[1]);
    expect(newestFirst.items.map((item) => String(item.timeCreated))).toEqual([times[1], times[2], times[0]]);
    expect(oldestFirst.items.map((item) => String(item.timeCreated))).toEqual([times[0], times[2], times[1]]);
  });

  it('returns the instance with its metadata and an etag', async () => {
    // Prepare
    const world = buildWorld();
    const api = await startApi({ world });
    const { compute } = clientsFor(api);
    const instance = nodeInstanceAt(world, 0, 0);

    // Act
    const response = await compute.getInstance({ instanceId: instance.id });

    // Assess
    expect(response.etag).toBe(api.etagOf(instance.id));
    expect(response.instance.metadata?.['oke-pool-id']).toBe(poolAt(world, 0).id);
    expect(response.instance.definedTags).toEqual(instance.definedTags);
  });

  it('answers 404 for an unknown instance and 400 for a malformed instance OCID', async () => {
    // Prepare
    const api = await startApi({ world: buildWorld() });
    const { compute } = clientsFor(api);

    // Act
    const unknown = compute.getInstance({ instanceId: fakeOcid('instance', 'missing') });
    const malformed = compute.getInstance({ instanceId: 'not-an-ocid' });
    const wrongType = compute.getInstance({ instanceId: fakeOcid('nodepool', 'x') });

    // Assess
    await expect(unknown).rejects.toMatchObject({ statusCode: 404, serviceCode: 'NotAuthorizedOrNotFound' });
    await expect(malformed).rejects.toMatchObject({ statusCode: 400, serviceCode: 'InvalidParameter' });
    await expect(wrongType).rejects.toMatchObject({ statusCode: 404 });
  });

  it('answers 412 NoEtagMatch when if-match carries a stale etag', async () => {
    // Prepare
    const world = buildWorld();
    const api = await startApi({ world });
    const { compute } = clientsFor(api);
    const instance = nodeInstanceAt(world, 0, 0);
    const { etag } = await compute.getInstance({ instanceId: instance.id });
    await compute.updateInstance({
      instanceId: instance.id,
      updateInstanceDetails: { displayName: 'renamed' },
      ...(etag === undefined ? {} : { ifMatch: etag }),
    });

    // Act
    const stale = compute.updateInstance({
      instanceId: instance.id,
      updateInstanceDetails: { displayName: 'again' },
      ...(etag === undefined ? {} : { ifMatch: etag }),
    });

    // Assess
    await expect(stale).rejects.toMatchObject({ statusCode: 412, serviceCode: 'NoEtagMatch' });
    expect(api.getInstance(instance.id)?.displayName).toBe('renamed');
  });

  it.each(['TERMINATING', 'TERMINATED'])(
    'answers 409 IncorrectState to an update of a %s instance, even with its current etag',
    async (state) => {
      // Prepare
      const world = buildWorld();
      const instance = nodeInstanceAt(world, 0, 0);
      instance.lifecycleState = state;
      const api = await startApi({ world });
      const { compute } = clientsFor(api);
      const { etag } = await compute.getInstance({ instanceId: instance.id });

      // Act
      const attempt = compute.updateInstance({
        instanceId: instance.id,
        updateInstanceDetails: { displayName: 'renamed' },
        ...(etag === undefined ? {} : { ifMatch: etag }),
      });

      // Assess
      await expect(attempt).rejects.toMatchObject({
        statusCode: 409,
        serviceCode: 'IncorrectState',
        message: expect.stringContaining(state),
      });
      expect(api.getInstance(instance.id)?.displayName).toBe(instance.displayName);
      expect(api.etagOf(instance.id)).toBe(etag);
    },
  );

  it('applies only the fields sent, records them and bumps the etag', async () => {
    // Prepare
    const world = buildWorld();
    const instance = nodeInstanceAt(world, 0, 0);
    instance.freeformTags = { team: 'platform' };
    const api = await startApi({ world });
    const { compute } = clientsFor(api);
    const before = await compute.getInstance({ instanceId: instance.id });
    const definedTags = { ...instance.definedTags, [NODEPOOL_TAG_NAMESPACE]: { [NODEPOOL_TAG_KEY]: 'pool-1' } };

    // Act
    const updated = await compute.updateInstance({
      instanceId: instance.id,
      updateInstanceDetails: { definedTags },
      ...(before.etag === undefined ? {} : { ifMatch: before.etag }),
    });

    // Assess
    expect(updated.instance.definedTags).toEqual(definedTags);
    expect(updated.instance.freeformTags).toEqual({ team: 'platform' });
    expect(updated.instance.displayName).toBe(instance.displayName);
    expect(updated.etag).toBe(api.etagOf(instance.id));
    expect(updated.etag).not.toBe(before.etag);
    expect(api.calls.at(-1)).toEqual({
      operation: 'UpdateInstance',
      resourceId: instance.id,
      status: 200,
      sentFields: ['definedTags'],
      ifMatch: before.etag,
    });
    expect(api.world.instances.find((candidate) => candidate.id === instance.id)?.definedTags).toEqual(definedTags);
  });

  it('replaces the whole defined-tags map, dropping namespaces not sent', async () => {
    // Prepare
    const world = buildWorld();
    const instance = nodeInstanceAt(world, 0, 0);
    const api = await startApi({ world });
    const { compute } = clientsFor(api);

    // Act
    await compute.updateInstance({
      instanceId: instance.id,
      updateInstanceDetails: { definedTags: { [NODEPOOL_TAG_NAMESPACE]: { [NODEPOOL_TAG_KEY]: 'p' } } },
    });

    // Assess
    expect(api.getInstance(instance.id)?.definedTags).toEqual({ [NODEPOOL_TAG_NAMESPACE]: { [NODEPOOL_TAG_KEY]: 'p' } });
  });

  it('records freeform tags and display name when both are sent', async () => {
    // Prepare
    const world = buildWorld();
    const instance = nodeInstanceAt(world, 0, 0);
    const api = await startApi({ world });
    const { compute } = clientsFor(api);

    // Act
    await compute.updateInstance({ instanceId: instance.id, updateInstanceDetails: { displayName: 'n1', freeformTags: { a: 'b' } } });

    // Assess
    expect(api.calls.at(-1)?.sentFields).toEqual(['displayName', 'freeformTags']);
    expect(api.getInstance(instance.id)).toMatchObject({ displayName: 'n1', freeformTags: { a: 'b' }, definedTags: instance.definedTags });
  });

  it.each([
    ['an unknown namespace', { Missing: { k: 'v' } }, 'Missing'],
    ['an unknown key', { [NODEPOOL_TAG_NAMESPACE]: { 'no-such-key': 'v' } }, 'no-such-key'],
    ['a retired namespace', { Retired: { k: 'v' } }, 'Retired is retired'],
    ['a value over 256 characters', { [NODEPOOL_TAG_NAMESPACE]: { [NODEPOOL_TAG_KEY]: 'x'.repeat(257) } }, '256'],
    ['a non-string value', { [NODEPOOL_TAG_NAMESPACE]: { [NODEPOOL_TAG_KEY]: 7 } }, NODEPOOL_TAG_KEY],
  ])('answers 400 InvalidParameter to defined tags with %s', async (_case, definedTags, named) => {
    // Prepare
    const world = buildWorld({
      tagNamespaces: { [NODEPOOL_TAG_NAMESPACE]: { keys: [NODEPOOL_TAG_KEY], retired: false }, Retired: { keys: ['k'], retired: true } },
    });
    const instance = nodeInstanceAt(world, 0, 0);
    const api = await startApi({ world });
    const { compute } = clientsFor(api);

    // Act
    const attempt = compute.updateInstance({ instanceId: instance.id, updateInstanceDetails: { definedTags } });

    // Assess
    await expect(attempt).rejects.toMatchObject({
      statusCode: 400,
      serviceCode: 'InvalidParameter',
      message: expect.stringContaining(named),
    });
    expect(api.getInstance(instance.id)?.definedTags).toEqual(instance.definedTags);
  });

  it.each([
    [
      'a retired key',
      { [NODEPOOL_TAG_NAMESPACE]: { [NODEPOOL_TAG_KEY]: 'p', 'old-key': 'new' } },
      `${NODEPOOL_TAG_NAMESPACE}.old-key is retired`,
    ],
    [
      'a changed value of a retired key',
      { [NODEPOOL_TAG_NAMESPACE]: { 'old-key': 'changed' } },
      `${NODEPOOL_TAG_NAMESPACE}.old-key is retired`,
    ],
    ['a key of a retired namespace', { Retired: { k: 'v' } }, 'Retired is retired and cannot be used: Retired.k'],
  ])('refuses 400 InvalidParameter, naming the tag, to a new value for %s', async (_case, definedTags, named) => {
    // Prepare
    const world = buildWorld({
      tagNamespaces: {
        [NODEPOOL_TAG_NAMESPACE]: { keys: [NODEPOOL_TAG_KEY, 'old-key'], retiredKeys: ['old-key'], retired: false },
        Retired: { keys: ['k'], retired: true },
      },
      instanceDefinedTags: { [NODEPOOL_TAG_NAMESPACE]: { 'old-key': 'kept' } },
    });
    const instance = nodeInstanceAt(world, 0, 0);
    const api = await startApi({ world });
    const { compute } = clientsFor(api);

    // Act
    const attempt = compute.updateInstance({ instanceId: instance.id, updateInstanceDetails: { definedTags } });

    // Assess
    await expect(attempt).rejects.toMatchObject({
      statusCode: 400,
      serviceCode: 'InvalidParameter',
      message: expect.stringContaining(named),
    });
    expect(api.getInstance(instance.id)?.definedTags).toEqual({ [NODEPOOL_TAG_NAMESPACE]: { 'old-key': 'kept' } });
  });

  it('keeps a retired key the instance already carries when its value is sent back unchanged', async () => {
    // Prepare
    const world = buildWorld({
      tagNamespaces: { [NODEPOOL_TAG_NAMESPACE]: { keys: [NODEPOOL_TAG_KEY, 'old-key'], retiredKeys: ['old-key'], retired: false } },
      instanceDefinedTags: { [NODEPOOL_TAG_NAMESPACE]: { 'old-key': 'kept' } },
    });
    const instance = nodeInstanceAt(world, 0, 0);
    const api = await startApi({ world });
    const { compute } = clientsFor(api);
    const definedTags = { [NODEPOOL_TAG_NAMESPACE]: { 'old-key': 'kept', [NODEPOOL_TAG_KEY]: 'p' } };

    // Act
    const updated = await compute.updateInstance({ instanceId: instance.id, updateInstanceDetails: { definedTags } });

    // Assess
    expect(updated.instance.definedTags).toEqual(definedTags);
  });

  it('accepts the Oracle-Tags default tags without them being in the catalogue', async () => {
    // Prepare
    const world = buildWorld({ tagNamespaces: {} });
    const instance = nodeInstanceAt(world, 0, 0);
    const api = await startApi({ world });
    const { compute } = clientsFor(api);
    const definedTags = { 'Oracle-Tags': { CreatedBy: 'someone', CreatedOn: '2024-01-01T00:00:00Z' } };

    // Act
    const updated = await compute.updateInstance({ instanceId: instance.id, updateInstanceDetails: { definedTags } });

    // Assess
    expect(updated.instance.definedTags).toEqual(definedTags);
  });
});
