import { checkMatchingRule, checkPolicyStatement } from '../../src/iam/validate';

const COMPARTMENT = 'ocid1.compartment.oc1..aaaaaaaaexample000';

describe('checkMatchingRule', () => {
  it.each([
    `All {instance.compartment.id = '${COMPARTMENT}', tag.ns.key.value = 'apps'}`,
    `ALL {resource.type = 'fnfunc', resource.compartment.id = '${COMPARTMENT}'}`,
    `instance.compartment.id = '${COMPARTMENT}'`,
    `Any {All {instance.compartment.id = '${COMPARTMENT}', tag.ns.key.value = 'a b {c}, "d"'}, All {instance.compartment.id = '${COMPARTMENT}', tag.ns.key.value = 'données'}}`,
    `all {instance.id != '${COMPARTMENT}', tag.ns.key.value = 'x'}`,
  ])('accepts the valid rule %s', (rule) => {
    // Prepare: the rule. Act:
    const problems = checkMatchingRule(rule);
    // Assess
    expect(problems).toEqual([]);
  });

  it.each([
    ['an unbalanced brace', `All {tag.ns.key.value = 'apps'`, 'expected "}"'],
    ['an extra closing brace', `All {tag.ns.key.value = 'apps'}}`, 'after the end'],
    ['an unterminated quote', `All {tag.ns.key.value = 'apps}`, 'unterminated'],
    ['a quote inside a value', `All {tag.ns.key.value = 'o'brien'}`, 'unterminated'],
    ['a backslash inside a value', `All {tag.ns.key.value = 'back\\slash'}`, 'backslash'],
    ['a newline inside a value', `All {tag.ns.key.value = 'a\nb'}`, 'control character'],
    ['an unknown variable', `All {instance.name = 'x'}`, 'unknown variable'],
    ['an unquoted value', `All {tag.ns.key.value = apps}`, 'quoted string'],
    ['an id that is not an OCID', `All {instance.compartment.id = 'prod'}`, 'OCID'],
    ['a missing comma', `All {tag.ns.key.value = 'a' tag.ns.key.value = 'b'}`, 'expected "}"'],
    ['an empty value', `tag.ns.key.value = ''`, 'empty value'],
  ])('rejects a rule with %s', (_what, rule, message) => {
    // Prepare: the broken rule. Act:
    const problems = checkMatchingRule(rule);
    // Assess
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(message);
  });
});

describe('checkPolicyStatement', () => {
  it.each([
    `Allow dynamic-group oke-fn to read cluster-family in compartment id ${COMPARTMENT}`,
    `Allow dynamic-group oke-fn to use instances in compartment id ${COMPARTMENT} where request.permission = 'INSTANCE_UPDATE'`,
    `Allow dynamic-group 'Ops Domain'/'oke-fn' to use tag-namespaces in tenancy where target.tag-namespace.name = 'oke-nodepool-tags'`,
    `Allow service cloudEvents to use functions-family in compartment id ${COMPARTMENT}`,
    `allow group Developers to use tag-namespaces in tenancy where target.tag-namespace.name != 'oke-nodepool-tags'`,
    `Allow dynamic-group oke-pool-apps to read objects in compartment id ${COMPARTMENT} where all {target.bucket.name = 'b', request.permission = 'OBJECT_READ'}`,
  ])('accepts the valid statement %s', (statement) => {
    // Prepare: the statement. Act:
    const problems = checkPolicyStatement(statement);
    // Assess
    expect(problems).toEqual([]);
  });

  it.each([
    ['all-resources', `Allow dynamic-group oke-fn to read all-resources in tenancy`, 'all-resources'],
    [
      'manage instance-family',
      `Allow dynamic-group oke-fn to manage instance-family in compartment id ${COMPARTMENT}`,
      'manage instance-family',
    ],
    ['an unknown verb', `Allow dynamic-group oke-fn to write instances in tenancy`, 'unknown verb'],
    ['an unknown resource type', `Allow dynamic-group oke-fn to read volcanoes in tenancy`, 'unknown resource type'],
    ['no "to"', `Allow dynamic-group oke-fn read instances in tenancy`, 'expected "to"'],
    ['no location', `Allow dynamic-group oke-fn to read instances`, 'expected "in"'],
    ['a bad location', `Allow dynamic-group oke-fn to read instances in region us-ashburn-1`, 'unknown location'],
    [
      'an unbalanced quote in the condition',
      `Allow dynamic-group oke-fn to use instances in tenancy where request.permission = 'INSTANCE_UPDATE`,
      'unterminated',
    ],
    ['a group name with a space', `Allow dynamic-group oke fn to read instances in tenancy`, 'expected "to"'],
    ['a domain without its group', `Allow dynamic-group 'Ops'/ to read instances in tenancy`, 'group name after the identity domain'],
    ['trailing text', `Allow dynamic-group oke-fn to read instances in tenancy please`, 'expected "where"'],
    [
      'an unbalanced brace in the condition',
      `Allow dynamic-group oke-fn to read objects in tenancy where all {target.bucket.name = 'b'`,
      'expected "}"',
    ],
    ['a subject of an unknown kind', `Allow user alice to read instances in tenancy`, 'unknown subject'],
  ])('rejects a statement with %s', (_what, statement, message) => {
    // Prepare: the broken statement. Act:
    const problems = checkPolicyStatement(statement);
    // Assess
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(message);
  });
});
