import { admitsTagAnywhere } from '../../src/iam/doctor-who-can-tag';
import { checksAfter, editStatements, NAMESPACE, result, WORKERS } from '../helpers/doctor-world';

const ADMIN_POLICY = 'Tenant Admin Policy';

describe('matching rules that admit our tag anywhere', () => {
  it.each([
    [`All {instance.compartment.id = '${WORKERS}', tag.${NAMESPACE}.k.value = 'web'}`, false],
    [`Any {tag.${NAMESPACE}.k.value = 'web'}`, true],
    [`All {tag.${NAMESPACE}.k.value}`, true],
    [`Any {All {instance.id = 'ocid1.instance.oc1..a', tag.${NAMESPACE}.k.value = 'x'}, tag.${NAMESPACE}.k.value = 'y'}`, true],
    [`All {instance.compartment.id != '${WORKERS}', tag.${NAMESPACE}.k.value = 'web'}`, true],
    [`Any {tag.finance.k.value = 'web'}`, false],
    [`ALL {resource.type = 'fnfunc', resource.compartment.id = '${WORKERS}'}`, false],
  ])('%s: %s', (rule, expected) => {
    const loose = admitsTagAnywhere(rule, NAMESPACE);

    expect(loose).toBe(expected);
  });
});

describe('doctor: who else can tag', () => {
  it('lists the Administrators group as information only', async () => {
    const checks = await checksAfter(() => {});

    const policies = result(checks, 'who-can-tag.policies');
    expect(policies.status).toBe('ok');
    expect(policies.found).toContain('for information: the Administrators group may, through policy Tenant Admin Policy');
  });

  it('warns when another principal may use tag-namespaces', async () => {
    const checks = await checksAfter((world) =>
      editStatements(world, ADMIN_POLICY, (statements) => [...statements, 'Allow group Developers to use tag-namespaces in tenancy']),
    );

    const policies = result(checks, 'who-can-tag.policies');
    expect(policies.status).toBe('warn');
    expect(policies.found).toContain('"Allow group Developers to use tag-namespaces in tenancy"');
  });

  it('warns on all-resources granted to any-user where the namespace lives', async () => {
    const checks = await checksAfter((world) =>
      editStatements(world, ADMIN_POLICY, (statements) => [...statements, 'Allow any-user to manage all-resources in tenancy']),
    );

    expect(result(checks, 'who-can-tag.policies').status).toBe('warn');
  });

  it('ignores all-resources granted only in a compartment below the namespace', async () => {
    const checks = await checksAfter((world) =>
      editStatements(world, ADMIN_POLICY, (statements) => [...statements, 'Allow any-user to manage all-resources in compartment apps']),
    );

    expect(result(checks, 'who-can-tag.policies').status).toBe('ok');
  });

  it('skips a statement whose condition excludes our namespace', async () => {
    const checks = await checksAfter((world) =>
      editStatements(world, ADMIN_POLICY, (statements) => [
        ...statements,
        `Allow group Developers to use tag-namespaces in tenancy where target.tag-namespace.name != '${NAMESPACE}'`,
      ]),
    );

    expect(result(checks, 'who-can-tag.policies').status).toBe('ok');
  });

  it('warns on a dynamic group that matches the tag with no compartment constraint', async () => {
    const checks = await checksAfter((world) => {
      world.dynamicGroups.push({
        id: 'ocid1.dynamicgroup.oc1..loose',
        name: 'loose-web',
        compartmentId: world.tenancyId,
        lifecycleState: 'ACTIVE',
        matchingRule: `Any {tag.${NAMESPACE}.oke-nodepool-name.value = 'web'}`,
      });
    });

    const rules = result(checks, 'who-can-tag.rules');
    expect(rules.status).toBe('warn');
    expect(rules.found).toContain('loose-web');
  });
});
