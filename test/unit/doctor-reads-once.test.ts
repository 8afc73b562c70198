import { MemoryAccessCloud } from '../helpers/memory-access-ports';
import { healthyWorld, result, runDoctorOver } from '../helpers/doctor-world';

describe('doctor reads each pool and instance list once', () => {
  it("shares the pools' discovery with the reconcile dry run: one GetNodePool per pool, one ListInstances and ListNodePools per compartment", async () => {
    // Prepare
    const world = healthyWorld();
    const cloud = new MemoryAccessCloud(world);

    // Act
    const { checks } = await runDoctorOver(cloud);

    // Assess
    expect(result(checks, 'nodes').status).toBe('ok');
    expect(cloud.count('GetNodePool')).toBe(world.pools.length);
    // The pools' compartment and the instances' compartment, each listed once (discovery lists one, the dry run both).
    expect(cloud.count('ListInstances')).toBe(2);
    expect(cloud.count('ListNodePools')).toBe(1);
  });
});
