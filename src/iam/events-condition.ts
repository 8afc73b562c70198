/**
 * OCI Events rule conditions, evaluated for one event type in one
 * compartment. After Oracle's "Matching Events with Filters"
 * (https://docs.oracle.com/iaas/Content/Events/Concepts/filterevents.htm)
 * and the Events API's `condition` field: the condition is a JSON object;
 * `{}` matches every event; a field's value is a string or a list of
 * strings (any of which matches), with `*` as a wildcard; fields not named
 * are ignored; and a rule applies to events of its own compartment and its
 * child compartments (that part is the caller's).
 *
 * Only `eventType` and `data.compartmentId` are evaluated. A filter on any
 * other field (a resource name, a tag, `source`) cannot be decided without
 * the event, so it makes the answer `'unknown'` rather than a guess; so does
 * a value that names the event only in other letter case.
 */
import type { Answer } from './policy-statement-evaluate';

/** The answer for one event, and why when it is not `true`. */
export interface ConditionAnswer {
  readonly answer: Answer;
  readonly reason: string;
}

function patterns(value: unknown): string[] | undefined {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value as string[];
  return undefined;
}

function patternRegExp(pattern: string, flags: string): RegExp {
  const parts = pattern.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('.*')}$`, flags);
}

/*
 * Not the policy evaluator's matcher: IAM compares policy values without
 * regard to letter case, but Oracle's Events pages ("Matching Events with
 * Filters", the Events API's `condition` field) say nothing of letter case
 * in a filter. So an exact match is a match, a pattern that matches only
 * when case is ignored is `'unknown'`, and anything else is no match.
 */
function matchesPattern(pattern: string, actual: string): Answer {
  if (patternRegExp(pattern, 'u').test(actual)) return true;
  return patternRegExp(pattern, 'iu').test(actual) ? 'unknown' : false;
}

function field(name: string, value: unknown, actual: string): ConditionAnswer {
  const list = patterns(value);
  if (list === undefined) return { answer: 'unknown', reason: `its ${name} filter is neither a string nor a list of strings` };
  const answers = list.map((pattern) => matchesPattern(pattern, actual));
  if (answers.includes(true)) return { answer: true, reason: `its ${name} filter matches` };
  if (answers.includes('unknown'))
    return {
      answer: 'unknown',
      reason: `its ${name} filter names ${actual} only in other letter case, and whether Events ignores case is not documented`,
    };
  return { answer: false, reason: `its ${name} filter does not name ${actual}` };
}

/**
 * Whether a rule's condition matches an event of `eventType` whose
 * `data.compartmentId` is `compartmentId`. A condition that is not a JSON
 * object, or that filters on other fields, is `'unknown'`.
 */
export function conditionMatches(condition: string, eventType: string, compartmentId: string): ConditionAnswer {
  let parsed: unknown;
  try {
    parsed = JSON.parse(condition);
  } catch {
    return { answer: 'unknown', reason: 'its condition is not JSON' };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    return { answer: 'unknown', reason: 'its condition is not a JSON object' };
  const parts: ConditionAnswer[] = [];
  for (const [key, value] of Object.entries(parsed)) {
    if (key === 'eventType') parts.push(field('eventType', value, eventType));
    else if (key === 'data' && typeof value === 'object' && value !== null && !Array.isArray(value)) {
      for (const [dataKey, dataValue] of Object.entries(value)) {
        if (dataKey === 'compartmentId') parts.push(field('data.compartmentId', dataValue, compartmentId));
        else parts.push({ answer: 'unknown', reason: `it filters on data.${dataKey}, which is not evaluated` });
      }
    } else parts.push({ answer: 'unknown', reason: `it filters on ${key}, which is not evaluated` });
  }
  return (
    parts.find((part) => part.answer === false) ??
    parts.find((part) => part.answer === 'unknown') ?? { answer: true, reason: 'its condition matches' }
  );
}
