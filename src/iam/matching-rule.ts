/**
 * Dynamic-group matching rules evaluated locally: the parser and renderer
 * (`matching-rule-parser.ts`) and the three-valued evaluator
 * (`matching-rule-eval.ts`), with one call that takes a rule as OCI stores it.
 */
import { evaluateMatchingRule, type RuleSubject, type RuleValue } from './matching-rule-eval';
import { parseMatchingRule, type MatchingRuleSyntaxError } from './matching-rule-parser';

export * from './matching-rule-eval';
export * from './matching-rule-parser';

/** The outcome of {@link matchRuleText}: the rule's value, or why its text does not parse. */
export type MatchRuleTextResult =
  { readonly ok: true; readonly value: RuleValue } | { readonly ok: false; readonly error: MatchingRuleSyntaxError };

/** Parses `text` and evaluates it for `subject`; a rule that does not parse is reported, not thrown. */
export function matchRuleText(text: string, subject: RuleSubject): MatchRuleTextResult {
  const parsed = parseMatchingRule(text);
  return parsed.ok ? { ok: true, value: evaluateMatchingRule(parsed.rule, subject) } : parsed;
}
