/**
 * Evaluates parsed policy statements: does this statement grant this access
 * to this principal in this compartment? The answer is three-valued: a
 * condition on variables other than `request.permission` and
 * `target.tag-namespace.name`, a condition that grants some permissions of
 * a verb when the question asks for all of them, a family this project does
 * not know, or a compartment that cannot be found makes it `'unknown'`,
 * never a guess.
 *
 * Locations inherit downward (Oracle docs "Policy Inheritance",
 * https://docs.oracle.com/iaas/Content/Identity/policieshow/Policy_Inheritance.htm):
 * a statement on compartment A applies to A and its descendants, `tenancy`
 * to every compartment. A compartment named by name or by `a:b` path is
 * looked up below the policy's own compartment (docs "Locations").
 * Conditions are evaluated in `policy-statement-condition.ts`. A statement
 * that lists permissions (`to {INSTANCE_UPDATE} in …`) grants each listed
 * permission, and is not known to grant a whole verb.
 */
import { sameDomain } from './identity-domain';
import { evaluateCondition, type ConditionAnswer, type LeafValue } from './policy-statement-condition';
import { resourceTypeCovers } from './policy-statement-families';
import { VERBS, type AllowStatement, type PolicyLocation, type PolicySubject, type PrincipalKind, type Verb } from './policy-statement';
import { and, type ThreeValued } from './three-valued';

export { evaluateCondition, type LeafValue } from './policy-statement-condition';

/** `true`, `false`, or `'unknown'` when the statement cannot be evaluated locally. */
export type Answer = ThreeValued;

/** An answer and, when it is not `true`, why. */
export type GrantAnswer = ConditionAnswer;

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
  /**
   * True when the list is the tenancy's whole tree (ListCompartments over the
   * subtree answered): a path or compartment not in it is then known not to
   * exist, rather than unknown.
   */
  readonly complete?: boolean;
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

const TAG_NAMESPACES = 'tag-namespaces';

function same(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** Three-valued AND over named parts: the first `false` decides, then the first `'unknown'`. */
function allOf(parts: readonly GrantAnswer[]): GrantAnswer {
  const answer = and(parts.map((part) => part.answer));
  if (answer === true) return { answer, reason: 'the statement grants it' };
  return parts.find((part) => part.answer === answer) ?? { answer, reason: 'the statement does not grant it' };
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
      return same(subject.name, principal.name) && sameDomain(subject.domain, principal.domain);
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
    if (node === undefined) return tree.complete === true ? false : 'unknown';
    current = node.parentId;
  }
  return false;
}

function locationCovers(statement: AllowStatement, policyCompartmentId: string, compartmentId: string, tree: CompartmentTree): GrantAnswer {
  const target = resolveLocation(statement.location, policyCompartmentId, tree);
  if (target === undefined)
    return tree.complete === true
      ? { answer: false, reason: "its compartment path names no compartment below the policy's compartment" }
      : { answer: 'unknown', reason: "its compartment path cannot be found below the policy's compartment" };
  const answer = isSameOrAncestor(target, compartmentId, tree);
  const reason =
    answer === 'unknown'
      ? `compartment ${compartmentId} is not in the compartment tree`
      : `its location does not cover compartment ${compartmentId}`;
  return { answer, reason };
}

function unknownVariable(variable: string): LeafValue {
  return { answer: 'unknown', reason: `the condition uses ${variable}, which is not evaluated` };
}

/**
 * What the question makes of each variable. Without `permission` it asks
 * for every permission of the verb, so `request.permission` ranges over
 * them (over the statement's own list, when it has one); without
 * `tagNamespace`, `target.tag-namespace.name` ranges over every namespace.
 */
function grantLeaf(question: GrantQuestion, permissions: readonly string[] | undefined): (variable: string) => LeafValue {
  return (variable) => {
    if (variable === 'request.permission') {
      if (question.permission !== undefined) return { value: question.permission };
      const every = `permission of ${question.verb} ${question.resourceType}`;
      const atLeast = leastPermissionsOf(question.verb);
      return permissions === undefined ? { every, atLeast } : { every, among: permissions, atLeast };
    }
    if (variable === 'target.tag-namespace.name') {
      // A variable that does not apply to the request declines it (docs "Conditions").
      if (!same(question.resourceType, TAG_NAMESPACES))
        return { answer: false, reason: 'target.tag-namespace.name applies only to tag-namespaces' };
      if (question.tagNamespace !== undefined) return { value: question.tagNamespace };
      return { every: `tag namespace in compartment ${question.compartmentId}` };
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

/**
 * The fewest permissions a verb can stand for on any resource type. The
 * verbs are cumulative, each including the one below and adding to it
 * (Oracle docs "Verbs": inspect; read = inspect plus…; use = read plus…;
 * manage = all permissions), so `read` covers at least two permissions and
 * a grant of fewer distinct permissions than this cannot be all of the verb.
 */
function leastPermissionsOf(verb: Verb): number {
  return VERBS.indexOf(verb) + 1;
}

function permissionsCover(permissions: readonly string[], question: GrantQuestion): GrantAnswer {
  const list = `{${permissions.join(', ')}}`;
  const distinct = new Set(permissions.map((permission) => permission.toUpperCase())).size;
  if (question.permission === undefined && distinct < leastPermissionsOf(question.verb))
    return {
      answer: false,
      reason: `it grants only the permissions ${list}, fewer than ${question.verb} ${question.resourceType} covers`,
    };
  if (question.permission === undefined)
    return {
      answer: 'unknown',
      reason: `it grants the permissions ${list}; whether they are every permission of ${question.verb} ${question.resourceType} is not known`,
    };
  const asked = question.permission;
  const answer = permissions.some((permission) => same(permission, asked));
  return { answer, reason: `it grants only the permissions ${list}, not ${asked}` };
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
  const { permissions } = statement;
  const grants =
    permissions === undefined
      ? [verbCovers(statement.verb, question.verb), resourceCovers(statement.resourceType, question.resourceType)]
      : [permissionsCover(permissions, question)];
  return allOf([
    { answer: subject, reason: 'it names another subject' },
    ...grants,
    locationCovers(statement, policyCompartmentId, question.compartmentId, tree),
    conditionAnswer(statement, grantLeaf(question, permissions)),
  ]);
}
