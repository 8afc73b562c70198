/**
 * Who else can tag: the statements that let their subjects use (or manage)
 * a tag namespace, and so write its tags onto an instance and move that
 * instance into a node pool's dynamic group. A statement counts when it
 * grants `use` or `manage` on `tag-namespaces` (or on a family covering it,
 * such as `all-resources`) in a compartment covering the namespace's, unless
 * its condition excludes the namespace.
 */
import { evaluateCondition, resolveLocation, isSameOrAncestor, type Answer, type CompartmentTree } from './policy-statement-evaluate';
import { resourceTypeCovers } from './policy-statement-families';
import { VERBS, type AllowStatement, type ParsedPolicyStatement, type PolicySubject } from './policy-statement';

/** A statement and the compartment of the policy that holds it. */
export interface LocatedStatement {
  readonly statement: ParsedPolicyStatement;
  readonly policyCompartmentId: string;
}

/** A statement that can (or may) let its subjects use the namespace. */
export interface TagNamespaceGrant<T extends LocatedStatement> {
  readonly source: T;
  readonly statement: AllowStatement;
  readonly subjects: readonly PolicySubject[];
  /** `true` when it grants use of the namespace, `'unknown'` when its condition, family or location cannot be evaluated. */
  readonly grants: Answer;
  readonly reason: string;
}

/** The namespace asked about: its name and the compartment that holds it. */
export interface TagNamespaceRef {
  readonly name: string;
  readonly compartmentId: string;
}

function and(answers: readonly Answer[]): Answer {
  if (answers.includes(false)) return false;
  return answers.includes('unknown') ? 'unknown' : true;
}

function grantsNamespace(statement: AllowStatement, policyCompartmentId: string, namespace: TagNamespaceRef, tree: CompartmentTree) {
  const verb = VERBS.indexOf(statement.verb) >= VERBS.indexOf('use');
  const resource = resourceTypeCovers(statement.resourceType, 'tag-namespaces');
  const target = resolveLocation(statement.location, policyCompartmentId, tree);
  const location = target === undefined ? 'unknown' : isSameOrAncestor(target, namespace.compartmentId, tree);
  // Which permissions tagging needs is not evaluated here, so a request.permission condition stays unknown.
  const condition =
    statement.condition === undefined
      ? ({ answer: true, reason: 'it has no condition' } as const)
      : statement.condition.parsed === undefined
        ? ({ answer: 'unknown', reason: `its condition (${statement.condition.text}) is not evaluated` } as const)
        : evaluateCondition(statement.condition.parsed, (variable) =>
            variable === 'target.tag-namespace.name'
              ? { value: namespace.name }
              : { answer: 'unknown', reason: `the condition uses ${variable}, which is not evaluated` },
          );
  const grants = and([verb, resource, location, condition.answer]);
  const reason =
    grants === true
      ? `it lets its subjects use tag namespace ${namespace.name}`
      : condition.answer === 'unknown'
        ? condition.reason
        : 'its resource type or location cannot be evaluated';
  return { grants, reason };
}

/**
 * The statements that grant (or may grant) `use` or `manage` on the tag
 * namespace, with their subjects. Statements that cannot grant it (a lower
 * verb, another resource type, a location elsewhere, a condition that
 * excludes the namespace) and statements that are not `Allow` are left out.
 */
export function findTagNamespaceGrants<T extends LocatedStatement>(
  statements: readonly T[],
  namespace: TagNamespaceRef,
  tree: CompartmentTree,
): TagNamespaceGrant<T>[] {
  const grants: TagNamespaceGrant<T>[] = [];
  for (const source of statements) {
    const { statement } = source;
    if (statement.kind !== 'allow') continue;
    const { grants: answer, reason } = grantsNamespace(statement, source.policyCompartmentId, namespace, tree);
    if (answer !== false) grants.push({ source, statement, subjects: statement.subjects, grants: answer, reason });
  }
  return grants;
}
