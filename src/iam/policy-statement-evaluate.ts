/**
 * Evaluates parsed policy statements: does this statement grant this access
 * to this principal in this compartment? The answer is three-valued: a
 * condition on variables other than `request.permission` and
 * `target.tag-namespace.name`, a family this project does not know, or a
 * compartment that cannot be found makes it `'unknown'`, never a guess.
 *
 * Locations inherit downward (Oracle docs "Policy Inheritance",
 * https://docs.oracle.com/iaas/Content/Identity/policieshow/Policy_Inheritance.htm):
 * a statement on compartment A applies to A and its descendants, `tenancy`
 * to every compartment. A compartment named by name or by `a:b` path is
 * looked up below the policy's own compartment (docs "Locations").
 * Condition values compare case-insensitively (docs "Conditions").
 */
import { resourceTypeCovers } from './policy-statement-families';
import {
  VERBS,
  type AllowStatement,
  type PolicyCondition,
  type PolicyLocation,
  type PolicySubject,
  type PrincipalKind,
  type Verb,
} from './policy-statement';

/** `true`, `false`, or `'unknown'` when the statement cannot be evaluated locally. */
export type Answer = boolean | 'unknown';

/** An answer and, when it is not `true`, why. */
export interface GrantAnswer {
  readonly answer: Answer;
  readonly reason: string;
}

/** One compartment of the tenancy's tree. The tenancy (root) has no parent. */
export interface CompartmentNode {
  readonly id: string;
  readonly name: string;
  readonly parentId: string | undefined;
}

/** The tenancy's compartments, which locations are resolved against. */
export interface CompartmentTree {
  readonly tenancyId: string;
  readonly compartments: readonly CompartmentNode[];
}

/** The principal asked about. `domain` defaults to the Default identity domain. */
export type Principal =
  | { readonly kind: PrincipalKind; readonly id: string; readonly name: string; readonly domain?: string }
  | { readonly kind: 'service'; readonly name: string };

/**
 * The access asked about: `verb` on `resourceType` in `compartmentId`. With
 * `permission`, only that permission is asked (and `verb` is the lowest verb
 * that includes it, e.g. `use` for INSTANCE_UPDATE on instances); without it,
 * every permission of the verb. `tagNamespace` names the namespace when the
 * resource type is `tag-namespaces`.
 */
export interface GrantQuestion {
  readonly principal: Principal;
  readonly verb: Verb;
  readonly permission?: string;
  readonly resourceType: string;
  readonly compartmentId: string;
  readonly tagNamespace?: string;
}

const DEFAULT_DOMAIN = 'default';
const TAG_NAMESPACES = 'tag-namespaces';

function same(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** Three-valued AND over named parts: the first `false` decides, then the first `'unknown'`. */
function allOf(parts: readonly GrantAnswer[]): GrantAnswer {
  return (
    parts.find((part) => part.answer === false) ??
    parts.find((part) => part.answer === 'unknown') ?? { answer: true, reason: 'the statement grants it' }
  );
}

/**
 * Whether a statement's subject names `principal`: by name (with its
 * identity domain, `Default` when none is written, compared without regard
 * to case as OCI does) or by OCID. `any-user` and `any-group` count as naming
 * every principal they cover.
 */
export function subjectMatches(subject: PolicySubject, principal: Principal): boolean {
  switch (subject.kind) {
    case 'any-user':
      return true;
    case 'any-group':
      return principal.kind !== 'service';
    case 'service':
      return principal.kind === 'service' && same(subject.name, principal.name);
    default:
      if (principal.kind !== subject.kind) return false;
      if (subject.by === 'id') return subject.id === principal.id;
      return same(subject.name, principal.name) && same(subject.domain ?? DEFAULT_DOMAIN, principal.domain ?? DEFAULT_DOMAIN);
  }
}

/** The compartment a location names, or undefined when a name in its path cannot be found. */
export function resolveLocation(location: PolicyLocation, policyCompartmentId: string, tree: CompartmentTree): string | undefined {
  if (location.kind === 'tenancy') return tree.tenancyId;
  if (location.kind === 'compartment-id') return location.id;
  let current: string | undefined = policyCompartmentId;
  for (const name of location.path) {
    const parent: string = current;
    current = tree.compartments.find((node) => node.parentId === parent && same(node.name, name))?.id;
    if (current === undefined) return undefined;
  }
  return current;
}

/** Whether `ancestorId` is `compartmentId` or one of its ancestors; `'unknown'` when the chain leaves the tree. */
export function isSameOrAncestor(ancestorId: string, compartmentId: string, tree: CompartmentTree): Answer {
  if (ancestorId === tree.tenancyId) return true;
  const seen = new Set<string>();
  let current: string | undefined = compartmentId;
  while (current !== undefined && !seen.has(current)) {
    if (current === ancestorId) return true;
    if (current === tree.tenancyId) return false;
    seen.add(current);
    const id: string = current;
    const node = tree.compartments.find((candidate) => candidate.id === id);
    if (node === undefined) return 'unknown';
    current = node.parentId;
  }
  return false;
}

function locationCovers(statement: AllowStatement, policyCompartmentId: string, compartmentId: string, tree: CompartmentTree): GrantAnswer {
  const target = resolveLocation(statement.location, policyCompartmentId, tree);
  if (target === undefined) return { answer: 'unknown', reason: "its compartment path cannot be found below the policy's compartment" };
  const answer = isSameOrAncestor(target, compartmentId, tree);
  const reason =
    answer === 'unknown'
      ? `compartment ${compartmentId} is not in the compartment tree`
      : `its location does not cover compartment ${compartmentId}`;
  return { answer, reason };
}

function matchesValue(actual: string, condition: Extract<PolicyCondition, { kind: 'compare' }>): boolean {
  const { value } = condition;
  if (value.kind === 'string') return same(actual, value.text);
  const pattern = value.text.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${pattern.join('.*')}$`, 'iu').test(actual);
}

/**
 * How a leaf is evaluated: against a known value, `false` when the variable
 * rules the request out, or `'unknown'`.
 */
type LeafValue = { readonly value: string } | { readonly answer: Answer; readonly reason: string };

/** Evaluates a condition three-valued, with `leaf` deciding what each variable stands for. */
export function evaluateCondition(condition: PolicyCondition, leaf: (variable: string) => LeafValue): GrantAnswer {
  if (condition.kind === 'compare') {
    const known = leaf(condition.variable);
    if (!('value' in known)) return known;
    const equal = matchesValue(known.value, condition);
    const answer = condition.operator === '=' ? equal : !equal;
    return { answer, reason: answer ? 'the condition holds' : `the condition on ${condition.variable} does not hold` };
  }
  const parts = condition.conditions.map((part) => evaluateCondition(part, leaf));
  if (condition.kind === 'all') return allOf(parts);
  return (
    parts.find((part) => part.answer === true) ??
    parts.find((part) => part.answer === 'unknown') ??
    parts[0] ?? { answer: false, reason: 'no condition holds' }
  );
}

function unknownVariable(variable: string): LeafValue {
  return { answer: 'unknown', reason: `the condition uses ${variable}, which is not evaluated` };
}

function grantLeaf(question: GrantQuestion): (variable: string) => LeafValue {
  return (variable) => {
    if (variable === 'request.permission') {
      if (question.permission !== undefined) return { value: question.permission };
      return { answer: false, reason: 'its condition limits it to some permissions, not the whole verb' };
    }
    if (variable === 'target.tag-namespace.name') {
      // A variable that does not apply to the request declines it (docs "Conditions").
      if (!same(question.resourceType, TAG_NAMESPACES))
        return { answer: false, reason: 'target.tag-namespace.name applies only to tag-namespaces' };
      if (question.tagNamespace !== undefined) return { value: question.tagNamespace };
      return { answer: false, reason: 'its condition limits it to some tag namespaces' };
    }
    return unknownVariable(variable);
  };
}

function conditionAnswer(statement: AllowStatement, leaf: (variable: string) => LeafValue): GrantAnswer {
  if (statement.condition === undefined) return { answer: true, reason: 'no condition' };
  if (statement.condition.parsed === undefined)
    return { answer: 'unknown', reason: `its condition (${statement.condition.text}) is not evaluated` };
  return evaluateCondition(statement.condition.parsed, leaf);
}

function verbCovers(granted: Verb, asked: Verb): GrantAnswer {
  const answer = VERBS.indexOf(granted) >= VERBS.indexOf(asked);
  return { answer, reason: `it grants ${granted}, less than ${asked}` };
}

function resourceCovers(granted: string, asked: string): GrantAnswer {
  const answer = resourceTypeCovers(granted, asked);
  return { answer, reason: answer === 'unknown' ? `${granted} is a family this tool does not know` : `${granted} does not cover ${asked}` };
}

/**
 * Whether `statement`, in a policy attached to `policyCompartmentId`, grants
 * the access in `question`, with the reason when it does not (or may not).
 */
export function evaluateGrant(
  statement: AllowStatement,
  policyCompartmentId: string,
  question: GrantQuestion,
  tree: CompartmentTree,
): GrantAnswer {
  const subject = statement.subjects.some((candidate) => subjectMatches(candidate, question.principal));
  return allOf([
    { answer: subject, reason: 'it names another subject' },
    verbCovers(statement.verb, question.verb),
    resourceCovers(statement.resourceType, question.resourceType),
    locationCovers(statement, policyCompartmentId, question.compartmentId, tree),
    conditionAnswer(statement, grantLeaf(question)),
  ]);
}
