/**
 * Three-valued evaluation of a parsed matching rule against one principal:
 * an instance (instance principal) or another resource such as a function
 * (resource principal).
 *
 * `All` is AND and `Any` is OR under Kleene logic (`three-valued.ts`):
 * `All` is false as soon as one clause is false, `Any` true as soon as one
 * is true, and otherwise `unknown` wins over the remaining value. A clause
 * is `unknown` whenever the documentation does not say how OCI decides it,
 * so that "does this group match?" is never answered false on a guess.
 *
 * Choices where OCI's documentation is silent:
 * - Tag namespace and key names are compared without regard to case, as OCI
 *   treats them. Whether matching rules compare tag *values* (and OCIDs,
 *   resource types) with regard to case is not documented: an exact match
 *   decides, a different value decides, and a value that differs only in
 *   case is `unknown`.
 * - For an instance, `resource.type = 'x'` naming another type (`fnfunc`,
 *   `resourceschedule`, …) is false: whatever an instance principal carries,
 *   it is not of that type. `resource.type = 'instance'` is `unknown`: the
 *   documentation describes instance principals by the `instance.*`
 *   variables only, and does not say whether they carry a resource type.
 *   `resource.id`, `resource.compartment.id` and every `resource.* !=` are
 *   `unknown` for the same reason.
 * - For a resource principal, `instance.* = '…'` is false (it is no
 *   instance) and `instance.* != '…'` is `unknown`.
 * - `tag.<ns>.<key>.value != 'v'` on a resource without that tag is
 *   `unknown`: the documentation does not say whether a missing tag differs
 *   from every value or matches nothing.
 */
import type { RuleClause, RuleComparison, RuleNode, TagClause, VariableClause } from './matching-rule-parser';
import { and, not, or, type ThreeValued } from './three-valued';

/** `true`, `false`, or `'unknown'` when the rule cannot be decided locally. */
export type RuleValue = ThreeValued;

/** Defined tags as OCI returns them: namespace → key → value. */
export type SubjectDefinedTags = Readonly<Record<string, Readonly<Record<string, unknown>>>>;

/** An instance, matched as an instance principal. */
export interface InstanceRuleSubject {
  readonly kind: 'instance';
  readonly id: string;
  readonly compartmentId: string;
  readonly definedTags: SubjectDefinedTags;
}

/**
 * Any other resource, matched as a resource principal: a function has
 * `resourceType: 'fnfunc'`, a schedule `resourceschedule` (the type as it
 * appears in the OCID). `definedTags` is absent when they were not read,
 * which makes tag clauses `unknown`.
 */
export interface ResourceRuleSubject {
  readonly kind: 'resource';
  readonly resourceType: string;
  readonly id: string;
  readonly compartmentId: string;
  readonly definedTags?: SubjectDefinedTags;
}

/** The principal a rule is evaluated for. */
export type RuleSubject = InstanceRuleSubject | ResourceRuleSubject;

/** `actual` against `= 'v'` or `!= 'v'`; a difference in case alone is undecided (see the module comment). */
function compare(actual: string, comparison: RuleComparison): RuleValue {
  let equal: RuleValue;
  if (actual === comparison.value) equal = true;
  else if (actual.toLowerCase() === comparison.value.toLowerCase()) equal = 'unknown';
  else equal = false;
  return comparison.operator === '=' ? equal : not(equal);
}

function findIgnoringCase<T>(record: Readonly<Record<string, T>>, name: string): T | undefined {
  if (Object.hasOwn(record, name)) return record[name];
  const lower = name.toLowerCase();
  const found = Object.keys(record).find((candidate) => candidate.toLowerCase() === lower);
  return found === undefined ? undefined : record[found];
}

function evaluateTag(clause: TagClause, definedTags: SubjectDefinedTags | undefined): RuleValue {
  if (definedTags === undefined) return 'unknown';
  const namespace = findIgnoringCase(definedTags, clause.namespace);
  const value = namespace === undefined ? undefined : findIgnoringCase(namespace, clause.key);
  if (clause.comparison === undefined) return value !== undefined;
  if (value === undefined) return clause.comparison.operator === '=' ? false : 'unknown';
  return typeof value === 'string' ? compare(value, clause.comparison) : 'unknown';
}

function evaluateVariableForInstance(clause: VariableClause, subject: InstanceRuleSubject): RuleValue {
  switch (clause.variable) {
    case 'instance.id':
      return compare(subject.id, clause.comparison);
    case 'instance.compartment.id':
      return compare(subject.compartmentId, clause.comparison);
    case 'resource.type':
      if (clause.comparison.operator === '!=' || clause.comparison.value.toLowerCase() === 'instance') return 'unknown';
      return false;
    case 'resource.id':
    case 'resource.compartment.id':
      return 'unknown';
  }
}

function evaluateVariableForResource(clause: VariableClause, subject: ResourceRuleSubject): RuleValue {
  switch (clause.variable) {
    case 'instance.id':
    case 'instance.compartment.id':
      return clause.comparison.operator === '=' ? false : 'unknown';
    case 'resource.type':
      return compare(subject.resourceType, clause.comparison);
    case 'resource.id':
      return compare(subject.id, clause.comparison);
    case 'resource.compartment.id':
      return compare(subject.compartmentId, clause.comparison);
  }
}

function evaluateClause(clause: RuleClause, subject: RuleSubject): RuleValue {
  switch (clause.kind) {
    case 'unknown':
      return 'unknown';
    case 'tag':
      return evaluateTag(clause, subject.definedTags);
    case 'variable':
      return subject.kind === 'instance' ? evaluateVariableForInstance(clause, subject) : evaluateVariableForResource(clause, subject);
  }
}

/**
 * Whether `subject` matches the rule (or any node of it): `true`, `false`,
 * or `'unknown'` when some clause that decides the answer cannot be decided
 * locally (an undocumented variable, or a case the documentation leaves open).
 */
export function evaluateMatchingRule(node: RuleNode, subject: RuleSubject): RuleValue {
  if (node.kind !== 'group') return evaluateClause(node, subject);
  const values = node.clauses.map((clause) => evaluateMatchingRule(clause, subject));
  return node.quantifier === 'all' ? and(values) : or(values);
}
