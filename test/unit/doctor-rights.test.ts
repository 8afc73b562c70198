import { MemoryAccessCloud, notAuthorized } from '../helpers/memory-access-ports';
import {
  checksAfter,
  editStatements,
  ELSEWHERE,
  FN_GROUP,
  healthyWorld,
  result,
  runDoctorOver,
  TENANCY,
  WORKERS,
} from '../helpers/doctor-world';

const FN_POLICY = 'oke-nodepool-tagger-fn';

describe("doctor: the function's rights", () => {
  it('fails when no dynamic group matches the function, and prints the rule to create', async () => {
    const checks = await checksAfter((world) => {
      world.dynamicGroups = world.dynamicGroups.filter((group) => group.name !== FN_GROUP);
    });

    const group = result(checks, 'rights.group');
    expect(group.status).toBe('fail');
    expect(group.fix).toContain("--matching-rule \"ALL {resource.type = 'fnfunc'");
    expect(result(checks, 'rights.permissions').status).toBe('fail');
  });

  it('fails on a missing permission and prints the statement iam would add', async () => {
    const checks = await checksAfter((world) =>
      editStatements(world, FN_POLICY, (statements) => statements.filter((text) => !text.includes('INSTANCE_UPDATE'))),
    );

    const missing = result(checks, 'rights.3');
    expect(missing).toMatchObject({ status: 'fail', title: 'use instances INSTANCE_UPDATE in root:apps:workers' });
    expect(missing.fix).toBe(
      `add to a policy: Allow dynamic-group ${FN_GROUP} to use instances in compartment id ${WORKERS} where request.permission = 'INSTANCE_UPDATE'`,
    );
    expect(result(checks, 'rights.2').status).toBe('ok');
  });

  it('fails when the grant is in a compartment that does not cover the pools', async () => {
    const checks = await checksAfter((world) =>
      editStatements(world, FN_POLICY, (statements) =>
        statements.map((text) =>
          text.replace('read cluster-family in compartment apps', `read cluster-family in compartment id ${ELSEWHERE}`),
        ),
      ),
    );

    expect(result(checks, 'rights.1')).toMatchObject({ status: 'fail', title: 'read cluster-family in root:apps' });
  });

  it('accepts a broader grant higher up: manage all-resources in the tenancy, to the group by OCID', async () => {
    const checks = await checksAfter((world) =>
      editStatements(world, FN_POLICY, () => ['Allow dynamic-group id ocid1.dynamicgroup.oc1..fn to manage all-resources in tenancy']),
    );

    expect(['rights.1', 'rights.2', 'rights.3', 'rights.4'].map((id) => result(checks, id).status)).toEqual(['ok', 'ok', 'ok', 'ok']);
  });

  it("finds the function's group in an identity domain, named 'domain'/'name' in the policy", async () => {
    const checks = await checksAfter((world) => {
      const fnGroup = world.dynamicGroups.find((group) => group.name === FN_GROUP);
      if (fnGroup === undefined) throw new Error('the healthy world has the function group');
      world.dynamicGroups = world.dynamicGroups.filter((group) => group !== fnGroup);
      world.domains = [{ domain: 'Ops', dynamicGroups: [{ ...fnGroup, domain: 'Ops' }] }];
      editStatements(world, FN_POLICY, (statements) =>
        statements.map((text) => text.replace(`dynamic-group ${FN_GROUP}`, `dynamic-group 'Ops'/'${FN_GROUP}'`)),
      );
    });

    expect(result(checks, 'rights.group').found).toBe(`dynamic group(s) 'Ops'/'${FN_GROUP}' match the function`);
    expect(['rights.1', 'rights.2', 'rights.3', 'rights.4'].map((id) => result(checks, id).status)).toEqual(['ok', 'ok', 'ok', 'ok']);
    expect(result(checks, 'who-can-tag.policies').status).toBe('ok');
  });

  it('does not take a same-named group of the Default domain for the domain group the policy names', async () => {
    const checks = await checksAfter((world) =>
      editStatements(world, FN_POLICY, (statements) =>
        statements.map((text) => text.replace(`dynamic-group ${FN_GROUP}`, `dynamic-group 'Ops'/'${FN_GROUP}'`)),
      ),
    );

    expect(result(checks, 'rights.1').status).toBe('fail');
  });

  it('warns, not passes, when the only grant has a condition it does not evaluate', async () => {
    const checks = await checksAfter((world) =>
      editStatements(world, FN_POLICY, (statements) =>
        statements.map((text) => (text.includes('read instances') ? `${text} where request.region = 'iad'` : text)),
      ),
    );

    const read = result(checks, 'rights.2');
    expect(read.status).toBe('warn');
    expect(read.found).toContain('request.region, which is not evaluated');
  });

  it('is unknown when a policy that could grant it cannot be read, naming inspect policies', async () => {
    const world = healthyWorld();
    world.policies = world.policies.filter((policy) => policy.name !== FN_POLICY);
    const cloud = new MemoryAccessCloud(world);
    cloud.failures.set(`ListPolicies ${TENANCY}`, notAuthorized('ListPolicies', TENANCY));

    const { checks } = await runDoctorOver(cloud);

    expect(result(checks, 'rights.1')).toMatchObject({ status: 'unknown', grant: 'inspect policies in tenancy' });
  });
});
