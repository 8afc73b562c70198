import corpus from '../fixtures/policy-statements.json';
import { MAX_CONDITION_DEPTH, parsePolicyStatement, type AllowStatement, type Verb } from '../../src/iam/policy-statement';
import { evaluateGrant, type CompartmentTree, type Principal } from '../../src/iam/policy-statement-evaluate';
import { findTagNamespaceGrants } from '../../src/iam/policy-statement-tag-grants';

const tree: CompartmentTree = { tenancyId: corpus.tenancyId, compartments: corpus.compartments };
const principals = corpus.principals as Record<string, Principal>;
const TENANCY = corpus.tenancyId;
const APPS = 'ocid1.compartment.oc1..aaaaapps';
const OPS = 'ocid1.compartment.oc1..aaaaops';

function allow(text: string): AllowStatement {
  const parsed = parsePolicyStatement(text);
  if (parsed.kind !== 'allow') throw new Error(`not an Allow statement: ${JSON.stringify(parsed)}`);
  return parsed;
}

describe('parsePolicyStatement', () => {
  it('reads each part of a statement with a condition', () => {
    // Prepare
    const text =
      "Allow dynamic-group 'Ops'/'tagger fn' to use instances in compartment apps:web where request.permission = 'INSTANCE_UPDATE'";
    // Act
    const parsed = allow(text);
    // Assess
    expect(parsed).toEqual({
      kind: 'allow',
      text,
      subjects: [{ kind: 'dynamic-group', by: 'name', domain: 'Ops', name: 'tagger fn' }],
      verb: 'use',
      resourceType: 'instances',
      location: { kind: 'compartment-path', path: ['apps', 'web'] },
      condition: {
        text: "request.permission = 'INSTANCE_UPDATE'",
        parsed: { kind: 'compare', variable: 'request.permission', operator: '=', value: { kind: 'string', text: 'INSTANCE_UPDATE' } },
      },
    });
  });

  it('reads ids, repeated kinds and spare white space in a subject list', () => {
    // Prepare
    const text = 'Allow group id ocid1.group.oc1..aaaa1,\n  id ocid1.group.oc1..aaaa2, group Admins   to inspect users in tenancy';
    // Act
    const parsed = allow(text);
    // Assess
    expect(parsed.subjects).toEqual([
      { kind: 'group', by: 'id', id: 'ocid1.group.oc1..aaaa1' },
      { kind: 'group', by: 'id', id: 'ocid1.group.oc1..aaaa2' },
      { kind: 'group', by: 'name', domain: undefined, name: 'Admins' },
    ]);
    expect(parsed.location).toEqual({ kind: 'tenancy' });
  });

  it('reads nested all/any groupings, != and patterns', () => {
    // Prepare
    const text =
      "Allow any-user to use tag-namespaces in compartment id ocid1.compartment.oc1..aaaaops where Any {target.tag-namespace.name != 'oke', ALL {request.permission = /TAG_*/, request.region = 'phx'}}";
    // Act
    const parsed = allow(text);
    // Assess
    expect(parsed.location).toEqual({ kind: 'compartment-id', id: OPS });
    expect(parsed.condition?.parsed).toEqual({
      kind: 'any',
      conditions: [
        { kind: 'compare', variable: 'target.tag-namespace.name', operator: '!=', value: { kind: 'string', text: 'oke' } },
        {
          kind: 'all',
          conditions: [
            { kind: 'compare', variable: 'request.permission', operator: '=', value: { kind: 'pattern', text: 'TAG_*' } },
            { kind: 'compare', variable: 'request.region', operator: '=', value: { kind: 'string', text: 'phx' } },
          ],
        },
      ],
    });
  });

  it('keeps a condition outside the known grammar as text, unparsed', () => {
    // Prepare
    const text = "Allow group A to read buckets in tenancy where request.utc-timestamp before '2030-01-01T00:00:00Z'";
    // Act
    const parsed = allow(text);
    // Assess
    expect(parsed.condition).toEqual({ text: "request.utc-timestamp before '2030-01-01T00:00:00Z'", parsed: undefined });
  });

  it('reads a list of permissions in place of a verb and resource type', () => {
    // Prepare
    const text = "Allow group Ops to {INSTANCE_UPDATE, tag_namespace_use} in tenancy where request.region = 'phx'";
    // Act
    const parsed = allow(text);
    // Assess
    expect(parsed).toEqual({
      kind: 'allow',
      text,
      subjects: [{ kind: 'group', by: 'name', domain: undefined, name: 'Ops' }],
      verb: 'manage',
      resourceType: 'all-resources',
      permissions: ['INSTANCE_UPDATE', 'tag_namespace_use'],
      location: { kind: 'tenancy' },
      condition: {
        text: "request.region = 'phx'",
        parsed: { kind: 'compare', variable: 'request.region', operator: '=', value: { kind: 'string', text: 'phx' } },
      },
    });
  });

  it(`reads all {…} and any {…} nested ${MAX_CONDITION_DEPTH} deep`, () => {
    // Prepare
    const condition = `${'all {'.repeat(MAX_CONDITION_DEPTH)}request.region = 'phx'${'}'.repeat(MAX_CONDITION_DEPTH)}`;
    // Act
    const parsed = allow(`Allow group A to read instances in tenancy where ${condition}`);
    // Assess
    let depth = 0;
    for (let node = parsed.condition?.parsed; node?.kind === 'all'; node = node.conditions[0]) depth += 1;
    expect(depth).toBe(MAX_CONDITION_DEPTH);
  });

  it('does not count braces inside quoted values as nesting', () => {
    // Prepare
    const text = `Allow group A to read buckets in tenancy where target.bucket.name = '${'{'.repeat(MAX_CONDITION_DEPTH + 1)}'`;
    // Act
    const parsed = allow(text);
    // Assess
    expect(parsed.condition?.parsed).toMatchObject({ kind: 'compare', value: { text: '{'.repeat(MAX_CONDITION_DEPTH + 1) } });
  });

  it('refuses a condition nested deeper than the limit, naming the first brace too deep', () => {
    // Prepare
    const prefix = 'Allow group A to read instances in tenancy where ';
    const text = `${prefix}${'all {'.repeat(MAX_CONDITION_DEPTH + 1)}request.region = 'phx'${'}'.repeat(MAX_CONDITION_DEPTH + 1)}`;
    // Act
    const parsed = parsePolicyStatement(text);
    // Assess
    expect(parsed).toMatchObject({ kind: 'error', position: prefix.length + MAX_CONDITION_DEPTH * 'all {'.length + 4, found: '"{"' });
    expect(parsed.kind === 'error' && parsed.expected).toContain(`at most ${MAX_CONDITION_DEPTH} deep`);
  });

  it('answers a hostile statement of 20000 nested groupings with a syntax error instead of exhausting the stack', () => {
    // Prepare
    const text = `Allow any-user to manage all-resources in tenancy where ${'all {'.repeat(20000)}request.region = 'phx'${'}'.repeat(20000)}`;
    // Act
    const parsed = parsePolicyStatement(text);
    // Assess
    expect(parsed).toMatchObject({ kind: 'error', expected: expect.stringContaining('nest at most') });
  });

  it('answers an unterminated hostile nesting with a syntax error', () => {
    // Prepare
    const text = `Allow any-user to manage all-resources in tenancy where ${'any {'.repeat(20000)}`;
    // Act
    const parsed = parsePolicyStatement(text);
    // Assess
    expect(parsed).toMatchObject({ kind: 'error', expected: expect.stringContaining('nest at most') });
  });

  it.each(corpus.malformed)('names position $position and $expected for %j', ({ statement, position, expected }) => {
    // Prepare: a statement outside the grammar. Act:
    const parsed = parsePolicyStatement(statement);
    // Assess
    expect(parsed).toMatchObject({ kind: 'error', position });
    expect(parsed.kind === 'error' && parsed.expected).toContain(expected);
    expect(parsed.kind === 'error' && parsed.message).toContain(`at position ${position}`);
  });

  it.each(corpus.notApplicable)('recognises $keyword statements as granting nothing here', ({ statement, keyword }) => {
    // Prepare: a cross-tenancy statement. Act:
    const parsed = parsePolicyStatement(statement);
    // Assess
    expect(parsed).toEqual({ kind: 'not-applicable', text: statement, keyword });
  });
});

describe('evaluateGrant', () => {
  it.each(corpus.grants)('$name', ({ statement, policyCompartmentId, question, expected }) => {
    // Prepare
    const parsed = allow(statement);
    const principal = principals[question.principal];
    if (principal === undefined) throw new Error(`no principal ${question.principal} in the corpus`);
    // Act
    const result = evaluateGrant(parsed, policyCompartmentId, { ...question, verb: question.verb as Verb, principal }, tree);
    // Assess
    expect(result.answer).toBe(expected);
  });

  it('says why a permission condition leaves the whole verb unknown', () => {
    // Prepare
    const statement = allow("Allow dynamic-group tagger-fn to read instances in tenancy where request.permission != 'INSTANCE_DELETE'");
    const principal = principals['fn'] as Principal;
    // Act
    const result = evaluateGrant(statement, TENANCY, { principal, verb: 'read', resourceType: 'instances', compartmentId: APPS }, tree);
    // Assess
    expect(result).toEqual({
      answer: 'unknown',
      reason:
        'its condition holds for some values of request.permission and not for others; whether it holds for every permission of read instances is not known',
    });
  });

  it('says why a permission list leaves the whole verb unknown', () => {
    // Prepare
    const statement = allow('Allow dynamic-group tagger-fn to {INSTANCE_INSPECT, INSTANCE_READ} in tenancy');
    const principal = principals['fn'] as Principal;
    // Act
    const result = evaluateGrant(statement, TENANCY, { principal, verb: 'read', resourceType: 'instances', compartmentId: APPS }, tree);
    // Assess
    expect(result).toEqual({
      answer: 'unknown',
      reason:
        'it grants the permissions {INSTANCE_INSPECT, INSTANCE_READ}; whether they are every permission of read instances is not known',
    });
  });

  it('says why a permission list too short for the verb grants none of it', () => {
    // Prepare
    const statement = allow('Allow dynamic-group tagger-fn to {INSTANCE_READ, INSTANCE_UPDATE} in tenancy');
    const principal = principals['fn'] as Principal;
    // Act
    const result = evaluateGrant(statement, TENANCY, { principal, verb: 'use', resourceType: 'instances', compartmentId: APPS }, tree);
    // Assess
    expect(result).toEqual({
      answer: false,
      reason: 'it grants only the permissions {INSTANCE_READ, INSTANCE_UPDATE}, fewer than use instances covers',
    });
  });

  it('bounds the work on a condition naming thousands of permissions, answering unknown with the reason', () => {
    // Prepare: true for every permission, which only trying each named value would show.
    const permissions = Array.from({ length: 5000 }, (_, index) => `request.permission = 'P_${index}'`);
    const condition = `any {${permissions.join(', ')}, request.permission != 'P_0'}`;
    const statement = allow(`Allow dynamic-group tagger-fn to use instances in tenancy where ${condition}`);
    const principal = principals['fn'] as Principal;
    // Act
    const result = evaluateGrant(statement, TENANCY, { principal, verb: 'use', resourceType: 'instances', compartmentId: APPS }, tree);
    // Assess
    expect(result).toEqual({
      answer: 'unknown',
      reason: 'its condition is too large to be evaluated for each value of request.permission',
    });
  });

  it('bounds the work on a condition of tens of thousands of comparisons, answering unknown with the reason', () => {
    // Prepare: true for every permission, shown by trying two values over 50001 comparisons each.
    const condition = `any {${Array(50_000).fill("request.permission = 'INSTANCE_READ'").join(', ')}, request.permission != 'INSTANCE_READ'}`;
    const statement = allow(`Allow dynamic-group tagger-fn to use instances in tenancy where ${condition}`);
    const principal = principals['fn'] as Principal;
    // Act
    const result = evaluateGrant(statement, TENANCY, { principal, verb: 'use', resourceType: 'instances', compartmentId: APPS }, tree);
    // Assess
    expect(result).toEqual({
      answer: 'unknown',
      reason: 'its condition is too large to be evaluated for each value of request.permission',
    });
  });

  it('says which variable left the answer unknown', () => {
    // Prepare
    const statement = allow("Allow any-user to read instances in tenancy where request.principal.type = 'fnfunc'");
    const principal = principals['fn'] as Principal;
    // Act
    const result = evaluateGrant(statement, TENANCY, { principal, verb: 'read', resourceType: 'instances', compartmentId: APPS }, tree);
    // Assess
    expect(result).toEqual({ answer: 'unknown', reason: 'the condition uses request.principal.type, which is not evaluated' });
  });

  it('says why a statement does not grant', () => {
    // Prepare
    const statement = allow('Allow dynamic-group tagger-fn to read instances in compartment id ocid1.compartment.oc1..aaaaops');
    const principal = principals['fn'] as Principal;
    // Act
    const result = evaluateGrant(statement, TENANCY, { principal, verb: 'read', resourceType: 'instances', compartmentId: APPS }, tree);
    // Assess
    expect(result).toEqual({ answer: false, reason: `its location does not cover compartment ${APPS}` });
  });
});

describe('findTagNamespaceGrants', () => {
  const namespace = { name: 'oke', compartmentId: APPS };

  function located(statements: string[], policyCompartmentId = TENANCY) {
    return statements.map((statement) => ({ statement: parsePolicyStatement(statement), policyCompartmentId }));
  }

  it('counts a permission list as a tag grant only when it lists TAG_NAMESPACE_USE', () => {
    // Prepare
    const statements = located([
      'Allow group Patchers to {INSTANCE_UPDATE} in tenancy',
      'Allow group Taggers to {TAG_NAMESPACE_INSPECT, tag_namespace_use} in tenancy',
    ]);
    // Act
    const grants = findTagNamespaceGrants(statements, namespace, tree);
    // Assess
    expect(grants.map((grant) => [grant.statement.text, grant.grants])).toEqual([
      ['Allow group Taggers to {TAG_NAMESPACE_INSPECT, tag_namespace_use} in tenancy', true],
    ]);
  });

  it('lists the statements that let their subjects use or manage the namespace', () => {
    // Prepare
    const statements = located([
      'Allow group Administrators to manage all-resources in tenancy',
      'Allow group Taggers to use tag-namespaces in compartment apps',
      "Allow dynamic-group tagger-fn to use tag-namespaces in tenancy where target.tag-namespace.name = 'oke'",
      "Allow group Finance to use tag-namespaces in tenancy where target.tag-namespace.name = 'finance'",
      "Allow group Others to use tag-namespaces in tenancy where target.tag-namespace.name != 'oke'",
      'Allow group Readers to read tag-namespaces in tenancy',
      'Allow group Ops to manage tag-namespaces in compartment ops',
      'Allow group Vms to manage instance-family in tenancy',
      'Endorse group Partners to manage tag-namespaces in tenancy Other',
    ]);
    // Act
    const grants = findTagNamespaceGrants(statements, namespace, tree);
    // Assess
    expect(grants.map((grant) => [grant.subjects, grant.grants])).toEqual([
      [[{ kind: 'group', by: 'name', domain: undefined, name: 'Administrators' }], true],
      [[{ kind: 'group', by: 'name', domain: undefined, name: 'Taggers' }], true],
      [[{ kind: 'dynamic-group', by: 'name', domain: undefined, name: 'tagger-fn' }], true],
    ]);
    expect(grants[0]?.source).toBe(statements[0]);
  });

  it('lists a statement whose condition it cannot evaluate as unknown, with the reason', () => {
    // Prepare
    const statements = located([
      "Allow any-user to use tag-namespaces in tenancy where request.principal.type = 'instance'",
      "Allow group Taggers to use tag-namespaces in tenancy where request.permission = 'TAG_NAMESPACE_USE'",
      'Allow group Taggers to use tag-namespaces in compartment missing',
    ]);
    // Act
    const grants = findTagNamespaceGrants(statements, namespace, tree);
    // Assess
    expect(grants.map((grant) => [grant.grants, grant.reason])).toEqual([
      ['unknown', 'the condition uses request.principal.type, which is not evaluated'],
      ['unknown', 'the condition uses request.permission, which is not evaluated'],
      ['unknown', "its compartment path cannot be found below the policy's compartment"],
    ]);
  });

  it('resolves a statement location relative to its own policy compartment', () => {
    // Prepare: `compartment apps` in a policy attached to ops is ops/apps, not the namespace's apps.
    const statements = located(['Allow group Ops to use tag-namespaces in compartment apps'], OPS);
    // Act
    const grants = findTagNamespaceGrants(statements, namespace, tree);
    // Assess
    expect(grants).toEqual([]);
  });
});
