import fc from 'fast-check';
import {
  evaluateMatchingRule,
  parseMatchingRule,
  renderMatchingRule,
  type RuleClause,
  type RuleComparison,
  type RuleGroup,
  type RuleNode,
  type RuleSubject,
  type RuleValue,
} from '../../src/iam/matching-rule';

const NAMES = ['oke-tagger', 'OKE-Tagger', 'node-pool', 'Node-Pool', 'ops', 'team'];
const VALUES = ['pool-a', 'POOL-A', 'pool-b', 'ocid1.compartment.oc1..w', 'ocid1.instance.oc1..a', 'fnfunc', 'instance'];
// Names OCI allows for tag namespaces and keys that need no quoting in a rule.
const tagName = fc.oneof(fc.constantFrom(...NAMES), fc.stringMatching(/^[A-Za-z0-9_\-:#@+]{1,12}$/));
const value = fc.oneof(
  fc.constantFrom(...VALUES),
  fc.string({ maxLength: 20 }).filter((text) => !text.includes("'")),
);
const comparison: fc.Arbitrary<RuleComparison> = fc.record({ operator: fc.constantFrom('=' as const, '!=' as const), value });
const UNKNOWN_VARIABLES = ['request.principal.type', 'resource.name', 'Instance.Id', 'tag.ns.key', 'tag.a.b.c.value'];

const clause: fc.Arbitrary<RuleClause> = fc.oneof(
  fc.record({
    kind: fc.constant('variable' as const),
    variable: fc.constantFrom(
      'instance.id' as const,
      'instance.compartment.id' as const,
      'resource.type' as const,
      'resource.id' as const,
      'resource.compartment.id' as const,
    ),
    comparison,
  }),
  fc.record(
    { kind: fc.constant('tag' as const), namespace: tagName, key: tagName, comparison },
    { requiredKeys: ['kind', 'namespace', 'key'] },
  ),
  fc.record(
    { kind: fc.constant('unknown' as const), variable: fc.constantFrom(...UNKNOWN_VARIABLES), comparison },
    { requiredKeys: ['kind', 'variable'] },
  ),
  fc.record({ kind: fc.constant('unknown' as const), variable: fc.constantFrom('instance.id', 'resource.type') }),
);

const { group } = fc.letrec<{ group: RuleGroup; node: RuleNode }>((tie) => ({
  group: fc.record({
    kind: fc.constant('group' as const),
    quantifier: fc.constantFrom('any' as const, 'all' as const),
    clauses: fc.array(tie('node'), { minLength: 1, maxLength: 4 }),
  }),
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, clause, tie('group')),
}));

const definedTags = fc.dictionary(fc.constantFrom(...NAMES), fc.dictionary(fc.constantFrom(...NAMES), fc.constantFrom(...VALUES)));
const subject: fc.Arbitrary<RuleSubject> = fc.oneof(
  fc.record({
    kind: fc.constant('instance' as const),
    id: fc.constantFrom(...VALUES),
    compartmentId: fc.constantFrom(...VALUES),
    definedTags,
  }),
  fc.record(
    {
      kind: fc.constant('resource' as const),
      resourceType: fc.constantFrom('fnfunc', 'resourceschedule', 'FnFunc'),
      id: fc.constantFrom(...VALUES),
      compartmentId: fc.constantFrom(...VALUES),
      definedTags,
    },
    { requiredKeys: ['kind', 'resourceType', 'id', 'compartmentId'] },
  ),
);

const UNKNOWN_CLAUSE: RuleClause = { kind: 'unknown', variable: 'request.principal.type', comparison: { operator: '=', value: 'x' } };

function negate(truth: RuleValue): RuleValue {
  return truth === 'unknown' ? 'unknown' : !truth;
}

describe('matching rules, for any rule', () => {
  it('parse(render(rule)) gives back the same tree', () => {
    fc.assert(
      fc.property(group, (rule) => {
        // Prepare / Act
        const result = parseMatchingRule(renderMatchingRule(rule));
        // Assess
        expect(result).toEqual({ ok: true, rule });
      }),
    );
  });

  it('never throws on arbitrary text, and places any error inside it', () => {
    const tokens = fc.constantFrom(
      'Any',
      'all',
      ' {',
      '{',
      '}',
      ',',
      ' ',
      "'v'",
      "'",
      '=',
      '!=',
      '!',
      'instance.id',
      'tag.a.b.value',
      '\n',
    );
    const text = fc.oneof(
      fc.string(),
      fc.array(tokens, { maxLength: 25 }).map((parts) => parts.join('')),
    );
    fc.assert(
      fc.property(text, (input) => {
        // Prepare / Act
        const result = parseMatchingRule(input);
        // Assess: a failure points into the text; a success renders to a rule that parses to the same tree.
        if (result.ok) expect(parseMatchingRule(renderMatchingRule(result.rule))).toEqual(result);
        else {
          expect(result.error.offset).toBeGreaterThanOrEqual(0);
          expect(result.error.offset).toBeLessThanOrEqual(input.length);
          expect(result.error.column).toBeGreaterThanOrEqual(1);
        }
      }),
    );
  });

  it('lets an unknown clause make All unknown but never turn a false All true', () => {
    fc.assert(
      fc.property(group, subject, (rule, principal) => {
        // Prepare
        const alone = evaluateMatchingRule(rule, principal);
        // Act
        const withUnknown = evaluateMatchingRule({ kind: 'group', quantifier: 'all', clauses: [rule, UNKNOWN_CLAUSE] }, principal);
        // Assess
        expect(withUnknown).toBe(alone === false ? false : 'unknown');
      }),
    );
  });

  it('lets an unknown clause make Any unknown but never turn a true Any false', () => {
    fc.assert(
      fc.property(group, subject, (rule, principal) => {
        // Prepare
        const alone = evaluateMatchingRule(rule, principal);
        // Act
        const withUnknown = evaluateMatchingRule({ kind: 'group', quantifier: 'any', clauses: [UNKNOWN_CLAUSE, rule] }, principal);
        // Assess
        expect(withUnknown).toBe(alone === true ? true : 'unknown');
      }),
    );
  });

  it('gives a group of one node the value of that node, whichever the quantifier', () => {
    fc.assert(
      fc.property(group, subject, fc.constantFrom('any' as const, 'all' as const), (rule, principal, quantifier) => {
        // Prepare / Act
        const wrapped = evaluateMatchingRule({ kind: 'group', quantifier, clauses: [rule] }, principal);
        // Assess
        expect(wrapped).toBe(evaluateMatchingRule(rule, principal));
      }),
    );
  });

  it('makes != the negation of = for a tag the subject carries', () => {
    fc.assert(
      fc.property(fc.constantFrom(...VALUES), fc.constantFrom(...VALUES), (actual, expected) => {
        // Prepare
        const principal: RuleSubject = { kind: 'instance', id: 'i', compartmentId: 'c', definedTags: { ops: { team: actual } } };
        const equal = parseMatchingRule(`All {tag.ops.team.value = '${expected}'}`);
        const different = parseMatchingRule(`All {tag.ops.team.value != '${expected}'}`);
        if (!equal.ok || !different.ok) throw new Error('the rules do not parse');
        // Act / Assess
        expect(evaluateMatchingRule(different.rule, principal)).toBe(negate(evaluateMatchingRule(equal.rule, principal)));
      }),
    );
  });
});
