import { checkNodes } from '../../src/iam/doctor-nodes';
import type { DoctorFacts } from '../../src/iam/doctor-model';
import type { ReconcileSummary } from '../../src/tagging/reconcile';
import { ids } from '../helpers/memory-ports';
import { MemoryAccessCloud } from '../helpers/memory-access-ports';
import { APPS, checksAfter, healthyWorld, KEY, NAMESPACE, readDoctorFacts, result, SETTINGS, WORKERS } from '../helpers/doctor-world';

function summary(counts: Partial<ReconcileSummary['counts']>, unknown = 0): ReconcileSummary {
  return {
    counts: { tag: 0, fix: 0, prune: 0, ok: 0, unknown, ...counts },
    applied: 0,
    failed: 0,
    unknown,
    unseenNodes: 0,
    pools: 2,
    instances: 3,
    complete: true,
    verified: unknown === 0,
  };
}

describe('doctor: the nodes', () => {
  it('reports reconcile’s counts from a dry run: one to tag, one to fix, one to prune', async () => {
    const checks = await checksAfter((world) => {
      world.instances = world.instances.map((instance) => {
        if (instance.id === ids.instance('web-0')) return { ...instance, definedTags: {} };
        if (instance.id === ids.instance('web-1')) return { ...instance, definedTags: { [NAMESPACE]: { [KEY]: 'old' } } };
        return instance;
      });
      world.instances.push({
        id: ids.instance('impostor'),
        compartmentId: WORKERS,
        lifecycleState: 'RUNNING',
        timeCreated: '2026-01-01T00:00:00.000Z',
        metadata: {},
        definedTags: { [NAMESPACE]: { [KEY]: 'web' } },
        freeformTags: {},
      });
    });

    const nodes = result(checks, 'nodes');
    expect(nodes.status).toBe('warn');
    expect(nodes.found).toMatch(/^tag 1, fix 1, prune 1, unknown 0 \(ok 1; 4 instance\(s\), 2 pool\(s\)\): out of sync$/);
  });

  it('writes nothing while it looks', async () => {
    const world = healthyWorld();
    world.instances = world.instances.map((instance) => ({ ...instance, definedTags: {} }));
    const cloud = new MemoryAccessCloud(world);

    await readDoctorFacts(cloud.ports(), SETTINGS, { dryRun: async () => summary({}) });

    expect(cloud.count('UpdateInstance')).toBe(0);
  });

  it('warns, over plain facts, when the membership of some instances is undecided', async () => {
    const facts = await readDoctorFacts(new MemoryAccessCloud(healthyWorld()).ports(), SETTINGS, {
      dryRun: async () => summary({ ok: 2 }, 1),
    });
    const withUnknown: DoctorFacts = { ...facts, nodes: { ok: true, value: summary({ ok: 2 }, 1) } };

    const [nodes] = checkNodes(withUnknown);

    expect(nodes).toMatchObject({ status: 'warn', found: expect.stringContaining('unknown 1') });
  });

  it('is unknown when the dry run cannot read', async () => {
    const facts = await readDoctorFacts(new MemoryAccessCloud(healthyWorld()).ports(), SETTINGS, {
      dryRun: async () => {
        throw new Error('boom');
      },
    });

    const [nodes] = checkNodes(facts);

    expect(nodes).toMatchObject({ status: 'unknown', grant: `read cluster-family and read instances in compartment id ${APPS}` });
  });
});
