/**
 * A parser of IAM policy statements, after Oracle's "Policy Syntax" pages
 * (https://docs.oracle.com/iaas/Content/Identity/Concepts/policysyntax.htm and
 * its sub-pages "Subjects", "Locations", "Conditions"):
 *
 *   Allow <subject> to <verb> <resource-type> in <location> [where <conditions>]
 *   Allow <subject> to {<PERMISSION>, …} in <location> [where <conditions>]
 *
 * The second form grants the listed permissions instead of a verb's: "you
 * can specify either verbs … or permissions (typically used by power users)"
 * (Oracle docs "Create an IAM Policy" of Oracle Integration,
 * https://docs.oracle.com/iaas/integration/doc/creating-iam-policy.html);
 * Oracle's "Policy Examples" of WebLogic Management Service write
 * `allow dynamic-group <group> to {WLMS_MANAGED_INSTANCE_USE} in tenancy
 * where …` (https://docs.oracle.com/iaas/wlms/doc/policies-examples.htm).
 *
 * Keywords are case-insensitive and spare white space has no effect. The
 * subject is one kind of principal, possibly several of it separated by
 * commas (`group A, B`, `group id X, id Y`). `Endorse`, `Admit` and `Define`
 * (cross-tenancy statements) are recognised and kept apart, since they grant
 * nothing to this tenancy's own principals. A condition the parser does not
 * understand does not fail the statement: it is kept as text, and every
 * question about the statement is then answered "unknown". A condition
 * nested deeper than {@link MAX_CONDITION_DEPTH} fails it, so that no
 * statement can exhaust the stack of the parser or of the evaluators.
 */
import { ALL_RESOURCES } from './policy-statement-families';
import { Cursor, SyntaxProblem, tokenize, type Token } from './policy-statement-tokens';

/** The verbs, in increasing order of access: each includes the ones before it. */
export const VERBS = ['inspect', 'read', 'use', 'manage'] as const;
export type Verb = (typeof VERBS)[number];

/**
 * Deeper nesting of `all {…}` / `any {…}` than any real condition, low
 * enough that a hostile statement cannot exhaust the stack of the recursive
 * descent or of the evaluators that walk the parsed tree.
 */
export const MAX_CONDITION_DEPTH = 32;

/** The principal kinds a statement can name one or more of. */
export type PrincipalKind = 'group' | 'dynamic-group';

/** Who a statement grants to. `domain` is undefined when the statement names none (the Default domain). */
export type PolicySubject =
  | { readonly kind: PrincipalKind; readonly by: 'name'; readonly domain: string | undefined; readonly name: string }
  | { readonly kind: PrincipalKind; readonly by: 'id'; readonly id: string }
  | { readonly kind: 'any-user' | 'any-group' }
  | { readonly kind: 'service'; readonly name: string };

/** Where a statement grants: the tenancy, a compartment by OCID, or a path of names below the policy's compartment. */
export type PolicyLocation =
  | { readonly kind: 'tenancy' }
  | { readonly kind: 'compartment-id'; readonly id: string }
  | { readonly kind: 'compartment-path'; readonly path: readonly string[] };

/** A condition value: a quoted string, or a `/pattern/` with `*` wildcards. */
export type ConditionValue = { readonly kind: 'string' | 'pattern'; readonly text: string };

/** A parsed condition: one comparison, or an `all {…}` / `any {…}` grouping. */
export type PolicyCondition =
  | { readonly kind: 'compare'; readonly variable: string; readonly operator: '=' | '!='; readonly value: ConditionValue }
  | { readonly kind: 'all' | 'any'; readonly conditions: readonly PolicyCondition[] };

/** An `Allow` statement. `condition.parsed` is undefined when the condition is outside the grammar this parser knows. */
export interface AllowStatement {
  readonly kind: 'allow';
  readonly text: string;
  readonly subjects: readonly PolicySubject[];
  /** The verb granted; `manage` for a permission list (see `permissions`). */
  readonly verb: Verb;
  /** The resource type (or family) granted, in lower case; `all-resources` for a permission list (see `permissions`). */
  readonly resourceType: string;
  /**
   * Present only for `Allow <subject> to {P1, P2} in …`: the permissions
   * listed, as written. Such a statement grants these permissions and no
   * verb; its `verb` and `resourceType` are then `manage` and
   * `all-resources`, the widest bound of what it can grant, so that a reader
   * that does not look at this field over-estimates the grant rather than
   * missing it.
   */
  readonly permissions?: readonly string[];
  readonly location: PolicyLocation;
  readonly condition?: { readonly text: string; readonly parsed: PolicyCondition | undefined };
}

/** A cross-tenancy statement (`Endorse`, `Admit`, `Define`): it grants nothing inside this tenancy. */
export interface NotApplicableStatement {
  readonly kind: 'not-applicable';
  readonly text: string;
  readonly keyword: 'endorse' | 'admit' | 'define';
}

/** Why a statement could not be parsed: the 0-based character position, what was expected there and what was found. */
export interface PolicyStatementSyntaxProblem {
  readonly kind: 'error';
  readonly text: string;
  readonly position: number;
  readonly expected: string;
  readonly found: string;
  readonly message: string;
}

export type ParsedPolicyStatement = AllowStatement | NotApplicableStatement | PolicyStatementSyntaxProblem;

function parseNamedPrincipal(cursor: Cursor, kind: PrincipalKind): PolicySubject {
  if (cursor.isWord('id')) {
    cursor.next();
    const token = cursor.peek();
    if (token?.kind !== 'word' || !token.text.startsWith('ocid1.')) return cursor.fail(`an OCID after "${kind} id"`);
    cursor.next();
    return { kind, by: 'id', id: token.text };
  }
  // A bare "to" here is the keyword after a trailing comma, not a group's name.
  if (cursor.isWord('to')) cursor.fail(`a ${kind} name, 'domain'/'name' or "id <ocid>"`);
  const first = cursor.name(`a ${kind} name, 'domain'/'name' or "id <ocid>"`);
  if (!cursor.punct('/')) return { kind, by: 'name', domain: undefined, name: first };
  return { kind, by: 'name', domain: first, name: cursor.name(`a ${kind} name after the identity domain`) };
}

function parseSubjects(cursor: Cursor): PolicySubject[] {
  if (cursor.isWord('any-user') || cursor.isWord('any-group')) {
    const kind = cursor.next().text.toLowerCase() as 'any-user' | 'any-group';
    return [{ kind }];
  }
  if (cursor.isWord('service')) {
    cursor.next();
    const subjects: PolicySubject[] = [{ kind: 'service', name: cursor.name('a service name') }];
    while (cursor.punct(',')) subjects.push({ kind: 'service', name: cursor.name('a service name') });
    return subjects;
  }
  const kind = cursor.isWord('group') ? 'group' : cursor.isWord('dynamic-group') ? 'dynamic-group' : undefined;
  if (kind === undefined) return cursor.fail('a subject: "group", "dynamic-group", "any-user", "any-group" or "service"');
  cursor.next();
  const subjects = [parseNamedPrincipal(cursor, kind)];
  while (cursor.punct(',')) {
    // The kind may be repeated after the comma (`group A, group B`); a statement names one kind only.
    if (cursor.isWord(kind) && !cursor.isWord('to', 1)) cursor.next();
    subjects.push(parseNamedPrincipal(cursor, kind));
  }
  return subjects;
}

function parseLocation(cursor: Cursor): PolicyLocation {
  if (cursor.isWord('tenancy')) {
    cursor.next();
    return { kind: 'tenancy' };
  }
  cursor.keyword('compartment');
  if (cursor.isWord('id')) {
    cursor.next();
    const token = cursor.peek();
    if (token?.kind !== 'word' || !token.text.startsWith('ocid1.')) return cursor.fail('a compartment OCID after "compartment id"');
    cursor.next();
    return { kind: 'compartment-id', id: token.text };
  }
  const token = cursor.peek();
  const name = cursor.name('a compartment name, a path a:b or "id <ocid>"');
  const path = token?.kind === 'string' ? [name] : name.split(':');
  if (path.some((part) => part.length === 0))
    throw new SyntaxProblem(token?.start ?? 0, 'a compartment path without empty parts', `"${name}"`);
  return { kind: 'compartment-path', path };
}

const PERMISSION_NAME = /^[a-z][a-z0-9_]*$/iu;

/** `{P1, P2}` after "to"; the cursor is past the `{`. */
function parsePermissions(cursor: Cursor): string[] {
  const permission = (): string => {
    const token = cursor.peek();
    if (token?.kind !== 'word' || !PERMISSION_NAME.test(token.text)) return cursor.fail('a permission name such as INSTANCE_UPDATE');
    cursor.next();
    return token.text;
  };
  const permissions = [permission()];
  while (cursor.punct(',')) permissions.push(permission());
  if (!cursor.punct('}')) cursor.fail('"," or "}" in the list of permissions');
  return permissions;
}

/**
 * Refuses a condition whose braces nest deeper than {@link MAX_CONDITION_DEPTH},
 * before the recursive descent sees it: every nested `all {` / `any {` the
 * parser descends into opens a brace that is still open, so this bounds its
 * recursion (and every walk of the parsed tree) by the same depth.
 */
function checkNesting(tokens: readonly Token[]): void {
  let depth = 0;
  for (const token of tokens) {
    if (token.kind !== 'punct') continue;
    if (token.text === '}') depth = Math.max(0, depth - 1);
    if (token.text !== '{') continue;
    depth += 1;
    if (depth > MAX_CONDITION_DEPTH)
      throw new SyntaxProblem(token.start, `a condition (all {…} and any {…} nest at most ${MAX_CONDITION_DEPTH} deep)`, '"{"');
  }
}

/** One comparison or grouping; its depth is bounded by {@link checkNesting}. */
function parseCondition(cursor: Cursor): PolicyCondition {
  if ((cursor.isWord('all') || cursor.isWord('any')) && cursor.peek(1)?.text === '{') {
    const kind = cursor.next().text.toLowerCase() as 'all' | 'any';
    cursor.next();
    const conditions = [parseCondition(cursor)];
    while (cursor.punct(',')) conditions.push(parseCondition(cursor));
    if (!cursor.punct('}')) cursor.fail('"," or "}"');
    return { kind, conditions };
  }
  const variable = cursor.peek();
  if (variable?.kind !== 'word') return cursor.fail('a condition variable');
  cursor.next();
  const operator = cursor.peek();
  if (operator?.kind !== 'punct' || (operator.text !== '=' && operator.text !== '!=')) return cursor.fail('"=" or "!="');
  cursor.next();
  const value = cursor.peek();
  if (value === undefined || (value.kind !== 'string' && value.kind !== 'pattern')) return cursor.fail('a quoted value or a /pattern/');
  cursor.next();
  return { kind: 'compare', variable: variable.text.toLowerCase(), operator: operator.text, value: { kind: value.kind, text: value.text } };
}

/** The parsed condition, or undefined when it uses operators or forms outside `=`, `!=`, `all {…}` and `any {…}`. */
function parseConditionText(tokens: readonly Token[], length: number): PolicyCondition | undefined {
  const cursor = new Cursor(tokens, length);
  try {
    const condition = parseCondition(cursor);
    return cursor.atEnd() ? condition : undefined;
  } catch (error) {
    if (error instanceof SyntaxProblem) return undefined;
    throw error;
  }
}

/** `<verb> <resource-type>` after "to". */
function parseVerbGrant(cursor: Cursor): { readonly verb: Verb; readonly resourceType: string } {
  const verb = VERBS.find((candidate) => cursor.isWord(candidate));
  if (verb === undefined) return cursor.fail('a verb (inspect, read, use or manage) or "{" opening a list of permissions');
  cursor.next();
  const resource = cursor.peek();
  if (resource?.kind !== 'word' || resource.text.toLowerCase() === 'in') return cursor.fail('a resource type');
  cursor.next();
  return { verb, resourceType: resource.text.toLowerCase() };
}

function parseAllow(text: string, tokens: readonly Token[]): AllowStatement {
  const cursor = new Cursor(tokens, text.length);
  cursor.keyword('allow');
  const subjects = parseSubjects(cursor);
  cursor.keyword('to');
  const grant = cursor.punct('{')
    ? { verb: 'manage' as const, resourceType: ALL_RESOURCES, permissions: parsePermissions(cursor) }
    : parseVerbGrant(cursor);
  cursor.keyword('in');
  const location = parseLocation(cursor);
  const base = { kind: 'allow' as const, text, subjects, ...grant, location };
  if (cursor.atEnd()) return base;
  cursor.keyword('where');
  const start = cursor.position();
  if (cursor.atEnd()) cursor.fail('a condition after "where"');
  const rest: Token[] = [];
  while (!cursor.atEnd()) rest.push(cursor.next());
  checkNesting(rest);
  return { ...base, condition: { text: text.slice(start).trim(), parsed: parseConditionText(rest, text.length) } };
}

/**
 * Parses one policy statement. Never throws on bad input: a statement that
 * does not follow the grammar comes back as an `error` naming the position
 * and what was expected there.
 */
export function parsePolicyStatement(text: string): ParsedPolicyStatement {
  try {
    const tokens = tokenize(text);
    const first = tokens[0];
    const keyword = first?.kind === 'word' ? first.text.toLowerCase() : undefined;
    if (keyword === 'endorse' || keyword === 'admit' || keyword === 'define') return { kind: 'not-applicable', text, keyword };
    return parseAllow(text, tokens);
  } catch (error) {
    if (!(error instanceof SyntaxProblem)) throw error;
    return { kind: 'error', text, position: error.position, expected: error.expected, found: error.found, message: error.message };
  }
}
