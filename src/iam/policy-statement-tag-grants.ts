/**
 * Who else can tag: the statements that let their subjects use (or manage)
 * a tag namespace, and so write its tags onto an instance and move that
 * instance into a node pool's dynamic group. A statement counts when it
 * grants `use` or `manage` on `tag-namespaces` (or on a family covering it,
 * such as `all-resources`) in a compartment covering the namespace's, unless
 * its condition excludes the namespace.
 */
import {
  evaluateCondition,
  evaluateGrant,
  type Answer,
  type CompartmentTree,
  type GrantAnswer,
  type Principal,
} from './policy-statement-evaluate';
import type { AllowStatement, ParsedPolicyStatement, PolicySubject } from './policy-statement';
import { statementScope } from './policy-statement-scope';

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

/**
 * A principal each subject names: the grant is asked for it, so the subject
 * itself never rules the statement out (findTagNamespaceGrants lists whom a
 * statement grants to, not whether it grants to one principal).
 */
const ANYONE: Principal = { kind: 'group', id: '', name: '' };

function principalOf(subject: PolicySubject): Principal {
  switch (subject.kind) {
    case 'service':
      return { kind: 'service', name: subject.name };
    case 'any-user':
    case 'any-group':
      return ANYONE;
    default:
      return subject.by === 'id'
        ? { kind: subject.kind, id: subject.id, name: '' }
        : { kind: subject.kind, id: '', name: subject.name, ...(subject.domain === undefined ? {} : { domain: subject.domain }) };
  }
}

function conditionAnswer(statement: AllowStatement, namespace: TagNamespaceRef): GrantAnswer {
  if (statement.condition === undefined) return { answer: true, reason: 'it has no condition' };
  if (statement.condition.parsed === undefined)
    return { answer: 'unknown', reason: `its condition (${statement.condition.text}) is not evaluated` };
  // Which permissions tagging needs is not evaluated here, so a request.permission condition stays unknown.
  return evaluateCondition(statement.condition.parsed, (variable) =>
    variable === 'target.tag-namespace.name'
      ? { value: namespace.name }
      : { answer: 'unknown', reason: `the condition uses ${variable}, which is not evaluated` },
  );
}

/** The permission that lets a principal set a namespace's tags on a resource (the `use` verb of tag-namespaces). */
const TAG_NAMESPACE_USE = 'TAG_NAMESPACE_USE';

function grantsNamespace(statement: AllowStatement, policyCompartmentId: string, namespace: TagNamespaceRef, tree: CompartmentTree) {
  const [first] = statement.subjects;
  const question = {
    principal: first === undefined ? ANYONE : principalOf(first),
    verb: 'use' as const,
    resourceType: 'tag-namespaces',
    compartmentId: namespace.compartmentId,
    tagNamespace: namespace.name,
    // A statement that lists permissions grants use of the namespace only when TAG_NAMESPACE_USE is among them.
    ...(statement.permissions === undefined ? {} : { permission: TAG_NAMESPACE_USE }),
  };
  // The verb, resource type and location are evaluateGrant's; the condition is asked here, with tagging's permissions unknown.
  const scope = evaluateGrant(statementScope(statement, { permissions: true }), policyCompartmentId, question, tree);
  const condition = conditionAnswer(statement, namespace);
  const decided = [scope, condition].find((part) => part.answer === false) ?? [scope, condition].find((part) => part.answer === 'unknown');
  if (decided === undefined) return { grants: true as Answer, reason: `it lets its subjects use tag namespace ${namespace.name}` };
  return { grants: decided.answer, reason: decided.reason };
}

/**
 * The statements that grant (or may grant) `use` or `manage` on the tag
 * namespace, with their subjects. Statements that cannot grant it (a lower
 * verb, another resource type, a location elsewhere, a condition that
 * excludes the namespace) and statements that are not `Allow` are left out;
 * statements that do not parse are {@link findUnparsedStatements}'s.
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

/** The statements that do not parse: any of them may grant use of the namespace, so an answer built without them is unknown. */
export function findUnparsedStatements<T extends LocatedStatement>(statements: readonly T[]): T[] {
  return statements.filter((source) => source.statement.kind === 'error');
}
