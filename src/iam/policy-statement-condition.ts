/**
 * Three-valued evaluation of a parsed policy condition (`where …`). Values
 * compare without regard to case (Oracle docs "Conditions"); a `/pattern/`
 * matches with `*` standing for any run of characters.
 *
 * A question can ask about one value of a variable (the permission
 * INSTANCE_UPDATE, the namespace `oke`) or about every value at once (every
 * permission of `use instances`). For the latter the condition must hold
 * for each value the question covers, and which values those are is not
 * known here. So the condition is evaluated for every value that can make a
 * difference: each value it compares the variable with, and one "fresh"
 * value equal to none of them. True for all of them means it holds whatever
 * the value, false for all means it never holds; anything else is
 * `'unknown'`, since the answer depends on values this project does not
 * list. `request.permission != 'INSTANCE_DELETE'` thus leaves "does it grant
 * every permission of read instances?" unknown, never false.
 */
import type { PolicyCondition } from './policy-statement';
import { and, or, type ThreeValued } from './three-valued';

/** An answer and, when it is not `true`, why. */
export interface ConditionAnswer {
  readonly answer: ThreeValued;
  readonly reason: string;
}

/**
 * What a condition variable stands for in the question:
 * - `{ value }`: the one value asked about;
 * - `{ every, among? }`: the question covers every value of the variable
 *   (`every` names them for the reason, e.g. "permission of use instances"),
 *   all of them among `among` when that is given, and at least `atLeast`
 *   distinct values when that is known (a verb covers several permissions);
 * - `{ answer, reason }`: the comparison's answer whatever its value (a
 *   variable not evaluated, or one that does not apply to the request).
 */
export type LeafValue =
  | { readonly value: string }
  | { readonly every: string; readonly among?: readonly string[]; readonly atLeast?: number }
  | { readonly answer: ThreeValued; readonly reason: string };

type Comparison = Extract<PolicyCondition, { kind: 'compare' }>;

/**
 * Beyond this many combinations of values, or this many comparisons
 * evaluated over all of them, the condition is evaluated once with every
 * value-dependent comparison `'unknown'`: still sound, only less precise,
 * and a hostile statement cannot make the evaluation quadratic.
 */
const MAX_COMBINATIONS = 256;
const MAX_COMPARISONS = 100_000;

function same(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** Whether `actual` matches the comparison's value (a string, or a pattern with `*` wildcards), ignoring case. */
function matches(actual: string, comparison: Comparison): boolean {
  const { value } = comparison;
  if (value.kind === 'string') return same(actual, value.text);
  const parts = value.text.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('.*')}$`, 'iu').test(actual);
}

/** A grouping's answer, with the reason of the part that decides it. */
function combine(kind: 'all' | 'any', parts: readonly ConditionAnswer[]): ConditionAnswer {
  const answer = (kind === 'all' ? and : or)(parts.map((part) => part.answer));
  return parts.find((part) => part.answer === answer) ?? { answer, reason: 'the condition is empty' };
}

/** Walks the tree, whose depth the parser bounds (MAX_CONDITION_DEPTH). */
function evaluate(condition: PolicyCondition, leaf: (comparison: Comparison) => ConditionAnswer): ConditionAnswer {
  if (condition.kind === 'compare') return leaf(condition);
  return combine(
    condition.kind,
    condition.conditions.map((part) => evaluate(part, leaf)),
  );
}

function comparisonsOf(condition: PolicyCondition): Comparison[] {
  return condition.kind === 'compare' ? [condition] : condition.conditions.flatMap(comparisonsOf);
}

function compared(actual: string, comparison: Comparison): ConditionAnswer {
  const equal = matches(actual, comparison);
  const answer = comparison.operator === '=' ? equal : !equal;
  return { answer, reason: answer ? 'the condition holds' : `the condition on ${comparison.variable} does not hold` };
}

/**
 * The comparison for a value equal to none of those the condition names
 * (a pattern without `*` counts as a named value): it matches a pattern of
 * wildcards alone, no named value, and maybe another pattern.
 */
function comparedWithFresh(comparison: Comparison): ConditionAnswer {
  const { value, operator, variable } = comparison;
  const wildcards = value.kind === 'pattern' && /^\*+$/u.test(value.text);
  if (value.kind === 'pattern' && !wildcards && value.text.includes('*'))
    return { answer: 'unknown', reason: `whether the values of ${variable} asked about match /${value.text}/ is not known` };
  const equal = wildcards;
  const answer = operator === '=' ? equal : !equal;
  return { answer, reason: answer ? 'the condition holds' : `the condition on ${variable} does not hold` };
}

/** The values of a ranging variable that can make a difference: `undefined` is the fresh value. */
function representatives(
  variable: string,
  among: readonly string[] | undefined,
  comparisons: readonly Comparison[],
): (string | undefined)[] {
  if (among !== undefined) return [...among];
  const named = comparisons
    .filter((comparison) => comparison.variable === variable && !comparison.value.text.includes('*'))
    .map((comparison) => comparison.value.text.toLowerCase());
  return [...new Set(named), undefined];
}

/** Every assignment of representatives to the ranging variables, or undefined when there are more than `limit`. */
function combinations(
  ranges: ReadonlyMap<string, readonly (string | undefined)[]>,
  limit: number,
): Map<string, string | undefined>[] | undefined {
  let all: Map<string, string | undefined>[] = [new Map()];
  for (const [variable, values] of ranges) {
    if (all.length * values.length > limit) return undefined;
    all = all.flatMap((assignment) => values.map((value) => new Map([...assignment, [variable, value]])));
  }
  return all;
}

/**
 * With one ranging variable whose question covers at least `atLeast`
 * distinct values: when the condition fails for the fresh value and is
 * decided for every named one, it holds for the named values it admits and
 * no others, and fewer of those than `atLeast` cannot be all the question
 * covers. `request.permission = 'INSTANCE_UPDATE'` thus grants none of
 * `read instances` as a whole: read covers at least two permissions.
 */
function fewerThanCovered(
  leaves: ReadonlyMap<string, LeafValue>,
  ranges: ReadonlyMap<string, readonly (string | undefined)[]>,
  cases: readonly ReadonlyMap<string, string | undefined>[],
  results: readonly ConditionAnswer[],
): ConditionAnswer | undefined {
  const [only, ...others] = [...ranges.keys()];
  const known = only === undefined ? undefined : leaves.get(only);
  if (only === undefined || others.length > 0 || known === undefined || !('every' in known) || known.atLeast === undefined)
    return undefined;
  if (results.some((result) => result.answer === 'unknown')) return undefined;
  const admitted = cases.flatMap((assignment, index) => (results[index]?.answer === true ? [assignment.get(only)] : []));
  if (admitted.includes(undefined) || admitted.length >= known.atLeast) return undefined;
  const named = admitted.length === 0 ? 'none' : admitted.join(', ');
  return { answer: false, reason: `its condition admits only ${named} of the ${known.every}s, fewer than they are` };
}

/**
 * Evaluates a condition three-valued, with `leaf` deciding what each
 * variable stands for (called once per variable). With a variable that
 * ranges over every value (see {@link LeafValue}), the answer is whether
 * the condition holds for all of them.
 */
export function evaluateCondition(condition: PolicyCondition, leaf: (variable: string) => LeafValue): ConditionAnswer {
  const comparisons = comparisonsOf(condition);
  const leaves = new Map<string, LeafValue>();
  for (const { variable } of comparisons) if (!leaves.has(variable)) leaves.set(variable, leaf(variable));
  const ranges = new Map<string, readonly (string | undefined)[]>();
  const every: string[] = [];
  for (const [variable, known] of leaves) {
    if (!('every' in known)) continue;
    ranges.set(variable, representatives(variable, known.among, comparisons));
    every.push(known.every);
  }
  // A comparison on a ranging variable takes its value from `assignment`; undefined there is the fresh value.
  const valueOf = (comparison: Comparison, assignment: ReadonlyMap<string, string | undefined>): ConditionAnswer => {
    const known = leaves.get(comparison.variable);
    if (known !== undefined && !('every' in known)) return 'value' in known ? compared(known.value, comparison) : known;
    const value = assignment.get(comparison.variable);
    return value === undefined ? comparedWithFresh(comparison) : compared(value, comparison);
  };
  if (ranges.size === 0) return evaluate(condition, (comparison) => valueOf(comparison, new Map()));
  const names = [...ranges.keys()].join(' and ');
  // The condition with every comparison on a ranging variable unknown: sound (Kleene) though less precise.
  const rough = (reason: string) =>
    evaluate(condition, (comparison) => (ranges.has(comparison.variable) ? { answer: 'unknown', reason } : valueOf(comparison, new Map())));
  const cases = combinations(ranges, Math.min(MAX_COMBINATIONS, Math.floor(MAX_COMPARISONS / comparisons.length)));
  if (cases === undefined) {
    const reason = `its condition is too large to be evaluated for each value of ${names}`;
    const answer = rough(reason);
    return answer.answer === 'unknown' ? { answer: 'unknown', reason } : answer;
  }
  const results = cases.map((assignment) => evaluate(condition, (comparison) => valueOf(comparison, assignment)));
  if (results.every((result) => result.answer === true)) return { answer: true, reason: 'the condition holds' };
  const few = fewerThanCovered(leaves, ranges, cases, results);
  if (few !== undefined) return few;
  if (results.every((result) => result.answer === false)) {
    // Name the comparison that fails whatever the value when there is one, rather than blame the ranging variable.
    const whatever = rough('');
    return whatever.answer === false ? whatever : { answer: false, reason: `its condition holds for no value of ${names}` };
  }
  return (
    results.find((result) => result.answer === 'unknown') ?? {
      answer: 'unknown',
      reason: `its condition holds for some values of ${names} and not for others; whether it holds for every ${every.join(' and every ')} is not known`,
    }
  );
}
