import { and, not, or, type ThreeValued } from '../../src/iam/three-valued';

const VALUES: readonly ThreeValued[] = [true, false, 'unknown'];

describe('three-valued logic', () => {
  it.each([
    [[true, true], true],
    [[true, 'unknown'], 'unknown'],
    [['unknown', false], false],
    [[false, true], false],
    [[], true],
  ] as const)('and(%j) is %j', (values, expected) => {
    // Prepare: the operands. Act:
    const result = and(values);
    // Assess
    expect(result).toBe(expected);
  });

  it.each([
    [[false, false], false],
    [[false, 'unknown'], 'unknown'],
    [['unknown', true], true],
    [[true, false], true],
    [[], false],
  ] as const)('or(%j) is %j', (values, expected) => {
    // Prepare: the operands. Act:
    const result = or(values);
    // Assess
    expect(result).toBe(expected);
  });

  it('negates true and false and keeps unknown', () => {
    // Prepare: every value. Act:
    const negated = VALUES.map(not);
    // Assess
    expect(negated).toEqual([false, true, 'unknown']);
  });

  it('keeps De Morgan: not(and(a, b)) is or(not(a), not(b)) for every pair', () => {
    // Prepare
    const pairs = VALUES.flatMap((a) => VALUES.map((b) => [a, b] as const));
    // Act
    const mismatches = pairs.filter(([a, b]) => not(and([a, b])) !== or([not(a), not(b)]));
    // Assess
    expect(mismatches).toEqual([]);
  });
});
