/**
 * The world the fake serves, and world files as they are loaded and validated.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WorldFileError } from '../../src/errors';
import { loadWorldFile, parseWorld, type World } from '../../src/local/world';
import { useFakeApiHarness } from '../helpers/fake-api-harness';
import { buildWorld, fakeOcid, NODEPOOL_TAG_KEY, NODEPOOL_TAG_NAMESPACE, nodeInstanceAt, TEST_COMPARTMENT_ID } from '../helpers/worlds';

const { startApi, clientsFor } = useFakeApiHarness();

describe('world state', () => {
  it('serves a deep copy of the world it was given', async () => {
    // Prepare
    const world = buildWorld();
    const instance = nodeInstanceAt(world, 0, 0);
    const api = await startApi({ world });
    const { compute } = clientsFor(api);

    // Act
    instance.displayName = 'changed-after-start';
    await compute.updateInstance({ instanceId: instance.id, updateInstanceDetails: { freeformTags: { k: 'v' } } });

    // Assess
    expect(api.getInstance(instance.id)?.displayName).not.toBe('changed-after-start');
    expect(instance.freeformTags).toEqual({});
  });

  it('round-trips fields it does not model', async () => {
    // Prepare
    const world = buildWorld();
    const instance = nodeInstanceAt(world, 0, 0);
    instance['launchMode'] = 'PARAVIRTUALIZED';
    const api = await startApi({ world: parseWorld(JSON.parse(JSON.stringify(world)), 'inline') });
    const { compute } = clientsFor(api);

    // Act
    const response = await compute.getInstance({ instanceId: instance.id });

    // Assess
    expect(response.instance.launchMode).toBe('PARAVIRTUALIZED');
  });
});

describe('world files', () => {
  const valid = (): Record<string, unknown> => JSON.parse(JSON.stringify(buildWorld({ nodesPerPool: 2 }))) as Record<string, unknown>;

  it.each<[string, (json: Record<string, unknown>) => void, string]>([
    [
      'a node pool whose clusterId is not a cluster OCID',
      (json) => Object.assign((json['nodePools'] as Record<string, unknown>[])[0] ?? {}, { clusterId: 'cluster-1' }),
      'nodePools[0].clusterId',
    ],
    [
      'an instance whose definedTags is not an object',
      (json) => Object.assign((json['instances'] as Record<string, unknown>[])[1] ?? {}, { definedTags: 'x' }),
      'instances[1].definedTags',
    ],
    [
      'an instance with an unknown lifecycle state',
      (json) => Object.assign((json['instances'] as Record<string, unknown>[])[0] ?? {}, { lifecycleState: 'ON' }),
      'instances[0].lifecycleState',
    ],
    [
      'a node without a name',
      (json) =>
        Object.assign(((json['nodePools'] as { nodes: Record<string, unknown>[] }[])[0]?.nodes ?? [])[1] ?? {}, { name: undefined }),
      'nodePools[0].nodes[1].name',
    ],
    ['a misspelt top-level key', (json) => Object.assign(json, { nodepools: [] }), 'nodepools'],
    ['a repeated instance id', (json) => (json['instances'] as unknown[]).push((json['instances'] as unknown[])[0]), 'instances[2].id'],
    [
      'a non-boolean retired flag',
      (json) => Object.assign(json, { tagNamespaces: { ns: { keys: ['k'], retired: 'no' } } }),
      'tagNamespaces.ns.retired',
    ],
  ])('rejects %s, naming the file and the field', (_case, spoil, field) => {
    // Prepare
    const json = valid();
    spoil(json);

    // Act
    const parse = (): World => parseWorld(json, 'worlds/broken.json');

    // Assess
    expect(parse).toThrow(WorldFileError);
    expect(parse).toThrow(`world file worlds/broken.json: ${field} `);
  });

  it('names the file when it is not JSON, and loads a valid file', async () => {
    // Prepare
    const dir = await mkdtemp(join(tmpdir(), 'world-file-'));
    const broken = join(dir, 'broken.json');
    const good = join(dir, 'good.json');
    await writeFile(broken, '{ "clusters": [');
    await writeFile(good, JSON.stringify(buildWorld({ pools: 2 })));

    try {
      // Act
      const loading = loadWorldFile(broken);
      const loaded = await loadWorldFile(good);

      // Assess
      await expect(loading).rejects.toThrow(WorldFileError);
      await expect(loading).rejects.toThrow(`world file ${broken}: not valid JSON`);
      expect(loaded.nodePools.map((pool) => pool.name)).toEqual(['pool-1', 'pool-2']);
      expect(loaded.tagNamespaces[NODEPOOL_TAG_NAMESPACE]).toEqual({ keys: [NODEPOOL_TAG_KEY], retired: false });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('names a file it cannot read, with the reason but without the system error code', async () => {
    // Prepare
    const dir = await mkdtemp(join(tmpdir(), 'world-file-'));
    const missing = join(dir, 'missing.json');

    try {
      // Act
      const error: unknown = await loadWorldFile(missing).catch((thrown: unknown) => thrown);

      // Assess
      expect(error).toBeInstanceOf(WorldFileError);
      expect(error).toMatchObject({ file: missing });
      expect((error as WorldFileError).message).toBe(`world file ${missing}: cannot read it: no such file or directory`);
      expect((error as WorldFileError).cause).toMatchObject({ code: 'ENOENT' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('defaults missing lists and maps to empty', () => {
    // Act
    const world = parseWorld(
      {
        instances: [
          { id: fakeOcid('instance', 'bare'), compartmentId: TEST_COMPARTMENT_ID, displayName: 'bare', lifecycleState: 'RUNNING' },
        ],
      },
      'inline',
    );

    // Assess
    expect(world).toEqual({
      clusters: [],
      nodePools: [],
      tagNamespaces: {},
      instances: [
        {
          id: fakeOcid('instance', 'bare'),
          compartmentId: TEST_COMPARTMENT_ID,
          displayName: 'bare',
          lifecycleState: 'RUNNING',
          metadata: {},
          definedTags: {},
          freeformTags: {},
        },
      ],
    });
  });
});
