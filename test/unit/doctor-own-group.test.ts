import { checksAfter, editStatements, FN_COMPARTMENT, FN_GROUP, FUNCTION_ID, NAMESPACE, result } from '../helpers/doctor-world';

const FN_POLICY = 'oke-nodepool-tagger-fn';

describe("doctor: only a group pinned to the function's OCID is the function", () => {
  it('warns about the tag grant of a function group whose rule matches every function', async () => {
    const checks = await checksAfter((world) => {
      const fnGroup = world.dynamicGroups.find((group) => group.name === FN_GROUP);
      if (fnGroup === undefined) throw new Error('the healthy world has the function group');
      world.dynamicGroups = world.dynamicGroups.map((group) =>
        group === fnGroup ? { ...group, matchingRule: "ALL {resource.type = 'fnfunc'}" } : group,
      );
    });

    const policies = result(checks, 'who-can-tag.policies');
    expect(policies.status).toBe('warn');
    expect(policies.found).toContain(`use tag-namespaces in tenancy where target.tag-namespace.name = '${NAMESPACE}'`);
    expect(result(checks, 'rights.group').status).toBe('ok');
    expect(result(checks, 'rights.4').status).toBe('ok');
  });

  it("warns about a compartment-wide group's tag grant even though it matches the function", async () => {
    const checks = await checksAfter((world) => {
      world.dynamicGroups.push({
        id: 'ocid1.dynamicgroup.oc1..allfns',
        name: 'all-functions',
        compartmentId: world.tenancyId,
        lifecycleState: 'ACTIVE',
        matchingRule: `ALL {resource.compartment.id = '${FN_COMPARTMENT}'}`,
      });
      editStatements(world, FN_POLICY, (statements) => [
        ...statements,
        'Allow dynamic-group all-functions to use tag-namespaces in tenancy',
      ]);
    });

    const policies = result(checks, 'who-can-tag.policies');
    expect(policies.status).toBe('warn');
    expect(policies.found).toContain('"Allow dynamic-group all-functions to use tag-namespaces in tenancy"');
  });

  it('warns about a group that matches the function by OCID but also other resources', async () => {
    const checks = await checksAfter((world) => {
      world.dynamicGroups.push({
        id: 'ocid1.dynamicgroup.oc1..fnorvms',
        name: 'fn-or-vms',
        compartmentId: world.tenancyId,
        lifecycleState: 'ACTIVE',
        matchingRule: `ANY {resource.id = '${FUNCTION_ID}', instance.compartment.id = '${FN_COMPARTMENT}'}`,
      });
      editStatements(world, FN_POLICY, (statements) => [...statements, 'Allow dynamic-group fn-or-vms to use tag-namespaces in tenancy']);
    });

    expect(result(checks, 'who-can-tag.policies').status).toBe('warn');
  });

  it('answers unknown for a tag grant to an identity-domain group whose rule came back null', async () => {
    const checks = await checksAfter((world) => {
      world.domains = [
        {
          domain: 'Prod',
          dynamicGroups: [
            {
              id: 'ocid1.dynamicgroup.oc1..mystery',
              name: 'mystery',
              compartmentId: world.tenancyId,
              lifecycleState: 'ACTIVE',
              matchingRule: undefined,
              domain: 'Prod',
            },
          ],
        },
      ];
      editStatements(world, FN_POLICY, (statements) => [
        ...statements,
        "Allow dynamic-group 'Prod'/'mystery' to manage tag-namespaces in tenancy",
      ]);
    });

    const policies = result(checks, 'who-can-tag.policies');
    expect(policies.status).toBe('unknown');
    expect(policies.found).toContain("'Prod'/'mystery'");
    expect(policies.found).toContain('null');
    expect(result(checks, 'rights.group').status).toBe('ok');
  });
});
