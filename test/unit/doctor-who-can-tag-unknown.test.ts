import { admitsTagAnywhere } from '../../src/iam/doctor-who-can-tag';
import { MemoryAccessCloud, notAuthorized } from '../helpers/memory-access-ports';
import {
  APPS,
  checksAfter,
  editStatements,
  FUNCTION_ID,
  healthyWorld,
  NAMESPACE,
  NAMESPACE_ID,
  result,
  runDoctorOver,
  TENANCY,
  WORKERS,
} from '../helpers/doctor-world';

const ADMIN_POLICY = 'Tenant Admin Policy';
const FN_POLICY = 'oke-nodepool-tagger-fn';
const KEY_CLAUSE = `tag.${NAMESPACE}.oke-nodepool-name.value`;

function looseGroup(matchingRule: string | undefined) {
  return { id: 'ocid1.dynamicgroup.oc1..loose', name: 'loose-web', compartmentId: TENANCY, lifecycleState: 'ACTIVE', matchingRule };
}

describe('matching rules whose tag clause a resource type does not constrain', () => {
  it.each([
    [`All {${KEY_CLAUSE} = 'web', resource.type = 'instance'}`, true],
    [`All {${KEY_CLAUSE} = 'web', instance.compartment.id = '${WORKERS}'}`, false],
    [`All {${KEY_CLAUSE} = "web"}`, 'unknown'],
  ])('%s: %s', (rule, expected) => {
    const loose = admitsTagAnywhere(rule, NAMESPACE);

    expect(loose).toBe(expected);
  });
});

describe('doctor: groups matching the tag anywhere, three-valued', () => {
  it('warns on a tag rule constrained only by resource.type', async () => {
    const checks = await checksAfter((world) => {
      world.dynamicGroups.push(looseGroup(`All {${KEY_CLAUSE} = 'web', resource.type = 'instance'}`));
    });

    const rules = result(checks, 'who-can-tag.rules');
    expect(rules.status).toBe('warn');
    expect(rules.found).toContain('loose-web');
  });

  it('answers unknown for a rule that does not parse, naming the rule and the position', async () => {
    const checks = await checksAfter((world) => {
      world.dynamicGroups.push(looseGroup(`All {${KEY_CLAUSE} = "web"}`));
    });

    const rules = result(checks, 'who-can-tag.rules');
    expect(rules.status).toBe('unknown');
    expect(rules.found).toContain('loose-web');
    expect(rules.found).toMatch(/column \d+/);
  });

  it('answers unknown for a group whose rule came back null', async () => {
    const checks = await checksAfter((world) => {
      world.dynamicGroups.push(looseGroup(undefined));
    });

    const rules = result(checks, 'who-can-tag.rules');
    expect(rules.status).toBe('unknown');
    expect(rules.found).toContain('loose-web');
  });
});

describe('doctor: who else may use the tag namespace, when something could not be read or parsed', () => {
  it('answers unknown, naming inspect tag-namespaces, when ListTagNamespaces is refused', async () => {
    const world = healthyWorld();
    world.tagNamespaces = world.tagNamespaces.map((namespace) => ({ ...namespace, compartmentId: APPS }));
    editStatements(world, ADMIN_POLICY, (statements) => [...statements, 'Allow group Devs to use tag-namespaces in compartment apps']);
    const cloud = new MemoryAccessCloud(world);
    cloud.failures.set(`ListTagNamespaces ${TENANCY}`, notAuthorized('ListTagNamespaces', TENANCY));

    const { checks } = await runDoctorOver(cloud);

    const policies = result(checks, 'who-can-tag.policies');
    expect(policies.status).toBe('unknown');
    expect(policies.grant).toContain('inspect tag-namespaces');
  });

  it('answers unknown, naming inspect tag-namespaces, when ListTags is refused', async () => {
    const cloud = new MemoryAccessCloud(healthyWorld());
    cloud.failures.set(`ListTags ${NAMESPACE_ID}`, notAuthorized('ListTags', NAMESPACE_ID));

    const { checks } = await runDoctorOver(cloud);

    const policies = result(checks, 'who-can-tag.policies');
    expect(policies.status).toBe('unknown');
    expect(policies.grant).toContain('inspect tag-namespaces');
  });

  it('answers unknown for a statement that does not parse, naming it and its parse error', async () => {
    const statement = 'Allow group Ops to {TAG_NAMESPACE_USE in tenancy';
    const checks = await checksAfter((world) => editStatements(world, ADMIN_POLICY, (statements) => [...statements, statement]));

    const policies = result(checks, 'who-can-tag.policies');
    expect(policies.status).toBe('unknown');
    expect(policies.found).toContain(statement);
    expect(policies.found).toMatch(/position \d+/);
  });

  it('warns about a statement that lists TAG_NAMESPACE_USE among its permissions in braces', async () => {
    const statement = 'Allow group Ops to {TAG_NAMESPACE_USE, TAG_NAMESPACE_INSPECT} in tenancy';
    const checks = await checksAfter((world) => editStatements(world, ADMIN_POLICY, (statements) => [...statements, statement]));

    const policies = result(checks, 'who-can-tag.policies');
    expect(policies.status).toBe('warn');
    expect(policies.found).toContain(statement);
  });

  it("accepts the function's grant written as the permission it needs in braces", async () => {
    const checks = await checksAfter((world) =>
      editStatements(world, FN_POLICY, (statements) =>
        statements.map((text) =>
          text.includes('INSTANCE_UPDATE')
            ? `Allow dynamic-group oke-nodepool-tagger-fn to {INSTANCE_UPDATE} in compartment id ${WORKERS}`
            : text,
        ),
      ),
    );

    const update = result(checks, 'rights.3');
    expect(update.status).toBe('ok');
    expect(update.found).toContain('{INSTANCE_UPDATE}');
  });

  it('ignores an unparsable statement for the rights when its subject names neither the group nor any-user', async () => {
    const checks = await checksAfter((world) =>
      editStatements(world, FN_POLICY, (statements) => [
        ...statements.filter((text) => !text.includes('INSTANCE_UPDATE')),
        `Allow group Ops to {INSTANCE_UPDATE} in compartment id ${WORKERS}`,
      ]),
    );

    expect(result(checks, 'rights.3').status).toBe('fail');
  });
});

describe('doctor: who else may use the tag namespace, when the function could not be read', () => {
  it("answers unknown, naming read fn-function, rather than warning about the function's own grant", async () => {
    const cloud = new MemoryAccessCloud(healthyWorld());
    cloud.failures.set(`GetFunction ${FUNCTION_ID}`, notAuthorized('GetFunction', FUNCTION_ID));

    const { checks } = await runDoctorOver(cloud);

    const policies = result(checks, 'who-can-tag.policies');
    expect(policies.status).toBe('unknown');
    expect(policies.grant).toContain('read fn-function');
  });
});
