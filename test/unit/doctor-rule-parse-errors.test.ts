import { ids } from '../helpers/memory-ports';
import { checksAfter, FN_GROUP, FUNCTION_ID, KEY, NAMESPACE, result, WORKERS } from '../helpers/doctor-world';

describe('doctor: a matching rule that does not parse is unknown, not "no match"', () => {
  it("answers unknown for the function's group written with double quotes, with the error position", async () => {
    const checks = await checksAfter((world) => {
      world.dynamicGroups = world.dynamicGroups.map((group) =>
        group.name === FN_GROUP ? { ...group, matchingRule: `ALL {resource.type = "fnfunc", resource.id = "${FUNCTION_ID}"}` } : group,
      );
    });

    const group = result(checks, 'rights.group');
    expect(group.status).toBe('unknown');
    expect(group.found).toContain(FN_GROUP);
    expect(group.found).toMatch(/column \d+/);
    expect(result(checks, 'rights.1').status).toBe('unknown');
    expect(result(checks, 'who-can-tag.policies').status).toBe('unknown');
  });

  it("answers unknown for a pool's group written with double quotes, with the error position", async () => {
    const checks = await checksAfter((world) => {
      world.dynamicGroups = world.dynamicGroups.map((group) =>
        group.name === 'oke-pool-batch'
          ? { ...group, matchingRule: `All {instance.compartment.id = "${WORKERS}", tag.${NAMESPACE}.${KEY}.value = "batch"}` }
          : group,
      );
    });

    const batch = result(checks, `pools.group.${ids.pool('batch')}`);
    expect(batch.status).toBe('unknown');
    expect(batch.found).toContain('oke-pool-batch');
    expect(batch.found).toMatch(/column \d+/);
    expect(result(checks, `pools.group.${ids.pool('web')}`).status).toBe('ok');
  });
});
