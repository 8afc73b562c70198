/**
 * Parts of a parsed `Allow` statement taken on their own: its scope
 * (subjects, verb, resource type, location) without what narrows it, and
 * whether its condition tests a given variable. Used where a statement is
 * asked "would this grant it, but for its condition or permission list?".
 */
import type { AllowStatement, PolicyCondition } from './policy-statement';

/** Whether `condition` compares `variable` anywhere in it. */
export function conditionNames(condition: PolicyCondition, variable: string): boolean {
  return condition.kind === 'compare'
    ? condition.variable === variable
    : condition.conditions.some((part) => conditionNames(part, variable));
}

/** The statement's scope alone, keeping its condition or its permission list only when asked to. */
export function statementScope(
  statement: AllowStatement,
  keep: { readonly condition?: boolean; readonly permissions?: boolean } = {},
): AllowStatement {
  const { condition, permissions } = statement;
  return {
    kind: 'allow',
    text: statement.text,
    subjects: statement.subjects,
    verb: statement.verb,
    resourceType: statement.resourceType,
    location: statement.location,
    ...(keep.permissions === true && permissions !== undefined ? { permissions } : {}),
    ...(keep.condition === true && condition !== undefined ? { condition } : {}),
  };
}
