import fc from 'fast-check';
import type { PolicyCondition } from '../../src/iam/policy-statement';
import { evaluateCondition, type LeafValue } from '../../src/iam/policy-statement-evaluate';

const PERMISSIONS = ['INSTANCE_READ', 'INSTANCE_UPDATE', 'instance_update', 'INSTANCE_DELETE', 'TAG_NAMESPACE_USE'];
const PATTERNS = ['INSTANCE_*', '*', '*_UPDATE', 'TAG_*_USE', 'INSTANCE_READ'];

const comparison: fc.Arbitrary<PolicyCondition> = fc.record({
  kind: fc.constant('compare' as const),
  variable: fc.constantFrom('request.permission', 'request.permission', 'request.region'),
  operator: fc.constantFrom('=' as const, '!=' as const),
  value: fc.oneof(
    fc.record({ kind: fc.constant('string' as const), text: fc.constantFrom(...PERMISSIONS) }),
    fc.record({ kind: fc.constant('pattern' as const), text: fc.constantFrom(...PATTERNS) }),
  ),
});

const { condition } = fc.letrec<{ condition: PolicyCondition }>((tie) => ({
  condition: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    comparison,
    fc.record({
      kind: fc.constantFrom('all' as const, 'any' as const),
      conditions: fc.array(tie('condition'), { minLength: 1, maxLength: 4 }),
    }),
  ),
}));

// The permissions a verb may hold: some named by the conditions, some not.
const verbPermissions = fc.uniqueArray(fc.oneof(fc.constantFrom(...PERMISSIONS), fc.stringMatching(/^[A-Z_]{1,12}$/)), {
  minLength: 1,
  maxLength: 5,
});

function leaf(permission: LeafValue): (variable: string) => LeafValue {
  return (variable) =>
    variable === 'request.permission'
      ? permission
      : { answer: 'unknown', reason: `the condition uses ${variable}, which is not evaluated` };
}

describe('evaluateCondition for every permission of a verb', () => {
  it('answers true only when the condition holds for each permission, and false only when it holds for none', () => {
    fc.assert(
      fc.property(condition, verbPermissions, (tree, permissions) => {
        // Prepare: the answer for each permission alone.
        const each = permissions.map((permission) => evaluateCondition(tree, leaf({ value: permission })).answer);
        // Act
        const whole = evaluateCondition(tree, leaf({ every: 'permission of use instances' })).answer;
        // Assess
        if (whole === true) expect(each.every((answer) => answer === true)).toBe(true);
        if (whole === false) expect(each.every((answer) => answer === false)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('answers for a list of permissions as for each of them when they all agree', () => {
    fc.assert(
      fc.property(condition, verbPermissions, (tree, permissions) => {
        // Prepare
        const each = permissions.map((permission) => evaluateCondition(tree, leaf({ value: permission })).answer);
        // Act
        const whole = evaluateCondition(tree, leaf({ every: 'listed permission', among: permissions })).answer;
        // Assess
        const agreed = each.every((answer) => answer === each[0]) ? each[0] : 'unknown';
        expect(whole).toBe(agreed);
      }),
      { numRuns: 2000 },
    );
  });
});
