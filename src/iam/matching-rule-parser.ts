/**
 * The dynamic-group matching-rule language: its syntax tree, a parser of the
 * documented grammar and a canonical renderer.
 *
 * A rule is `Any {…}` or `All {…}` (keywords in any case) holding
 * comma-separated clauses or nested groups. OCI now refuses a rule without
 * that prefix, so the parser does too. A clause is `<variable> = '<value>'`,
 * `<variable> != '<value>'`, or a bare `tag.<ns>.<key>.value` (the key is
 * present). Values are single-quoted with no escape sequence, as in the rest
 * of the IAM language (see `quote.ts`).
 *
 * A variable the grammar does not document, or a documented one used in a
 * form it does not document (a bare `instance.id`), parses as an
 * {@link UnknownClause}: the evaluator makes it `unknown`, never false.
 * Variable names are recognised in lower case only, as OCI documents them;
 * tag namespace and key names keep their case.
 */

/** The comparison operators of the language. */
export type RuleOperator = '=' | '!=';

/** `= 'value'` or `!= 'value'`. */
export interface RuleComparison {
  readonly operator: RuleOperator;
  readonly value: string;
}

/** The documented variables other than tags. */
export type RuleVariable = 'instance.id' | 'instance.compartment.id' | 'resource.type' | 'resource.id' | 'resource.compartment.id';

const RULE_VARIABLES: readonly RuleVariable[] = [
  'instance.id',
  'instance.compartment.id',
  'resource.type',
  'resource.id',
  'resource.compartment.id',
];

/** `instance.compartment.id = '…'` and its kin. */
export interface VariableClause {
  readonly kind: 'variable';
  readonly variable: RuleVariable;
  readonly comparison: RuleComparison;
}

/** `tag.<ns>.<key>.value`, bare (the key is present) or compared with a value. */
export interface TagClause {
  readonly kind: 'tag';
  readonly namespace: string;
  readonly key: string;
  readonly comparison?: RuleComparison;
}

/** A clause whose variable the grammar does not document; it evaluates to `unknown`. */
export interface UnknownClause {
  readonly kind: 'unknown';
  readonly variable: string;
  readonly comparison?: RuleComparison;
}

/** `Any {…}` (OR) or `All {…}` (AND) over at least one clause or group. */
export interface RuleGroup {
  readonly kind: 'group';
  readonly quantifier: 'any' | 'all';
  readonly clauses: readonly RuleNode[];
}

/** One clause of a rule. */
export type RuleClause = VariableClause | TagClause | UnknownClause;

/** A node of the syntax tree. */
export type RuleNode = RuleGroup | RuleClause;

/**
 * Where and why a rule failed to parse. `offset` is 0-based over the whole
 * rule; `line` and `column` are 1-based, so `column` is what an editor shows.
 */
export interface MatchingRuleSyntaxError {
  readonly offset: number;
  readonly line: number;
  readonly column: number;
  /** What the parser expected there, e.g. `"}" or ","`. */
  readonly expected: string;
  /** What it found instead, e.g. `"x"` or `end of rule`. */
  readonly found: string;
  /** `expected "}" or "," at column 57, found end of rule` (with the line when the rule spans several). */
  readonly message: string;
}

/** The outcome of {@link parseMatchingRule}: a tree or a positioned syntax error, never a throw. */
export type ParseMatchingRuleResult =
  { readonly ok: true; readonly rule: RuleGroup } | { readonly ok: false; readonly error: MatchingRuleSyntaxError };

const TAG_VARIABLE = /^tag\.([^.]+)\.([^.]+)\.value$/;
const WHITESPACE = /\s/;
const GROUP_OPENING = /(any|all)\s*\{/iy;
const KEYWORD = /(any|all)\b\s*/iy;
/**
 * Deeper nesting than any real rule, low enough that a hostile rule cannot
 * exhaust the stack of the recursive descent.
 */
export const MAX_GROUP_DEPTH = 32;
// A variable ends where the syntax around it begins; `!` ends it only as part of `!=`.
const VARIABLE_STOP = /[\s=,{}']/;

/** Unwinds the recursive descent to {@link parseMatchingRule}, which turns it into a value. */
class SyntaxFailure extends Error {
  constructor(
    readonly offset: number,
    readonly expected: string,
  ) {
    super(`expected ${expected} at offset ${offset}`);
    this.name = 'SyntaxFailure';
  }
}

class Parser {
  private offset = 0;
  private depth = 0;

  constructor(private readonly text: string) {}

  parseRule(): RuleGroup {
    this.skipWhitespace();
    const group = this.tryGroup();
    if (group === undefined) {
      const keyword = this.matchHere(KEYWORD);
      if (keyword !== undefined) throw new SyntaxFailure(this.offset + keyword[0].length, '"{"');
      throw new SyntaxFailure(this.offset, '"Any {" or "All {"');
    }
    this.skipWhitespace();
    if (this.offset < this.text.length) throw new SyntaxFailure(this.offset, 'end of rule');
    return group;
  }

  /** A group when the next word is `any`/`all` followed by `{`; otherwise nothing is consumed. */
  private tryGroup(): RuleGroup | undefined {
    const match = this.matchHere(GROUP_OPENING);
    if (match === undefined) return undefined;
    if (this.depth === MAX_GROUP_DEPTH) throw new SyntaxFailure(this.offset, `a clause (groups nest at most ${MAX_GROUP_DEPTH} deep)`);
    const quantifier = (match[1] ?? '').toLowerCase() === 'any' ? 'any' : 'all';
    this.offset += match[0].length;
    this.depth += 1;
    const clauses: RuleNode[] = [this.parseNode()];
    for (;;) {
      this.skipWhitespace();
      const next = this.text[this.offset];
      if (next === '}') break;
      if (next !== ',') throw new SyntaxFailure(this.offset, '"," or "}"');
      this.offset += 1;
      clauses.push(this.parseNode());
    }
    this.offset += 1;
    this.depth -= 1;
    return { kind: 'group', quantifier, clauses };
  }

  private parseNode(): RuleNode {
    this.skipWhitespace();
    return this.tryGroup() ?? this.parseClause();
  }

  private parseClause(): RuleClause {
    const start = this.offset;
    while (this.offset < this.text.length && !this.atVariableEnd()) this.offset += 1;
    if (this.offset === start) throw new SyntaxFailure(start, 'a clause');
    const variable = this.text.slice(start, this.offset);
    this.skipWhitespace();
    const comparison = this.tryComparison();
    const next = this.text[this.offset];
    if (comparison === undefined && next !== ',' && next !== '}') throw new SyntaxFailure(this.offset, '"=", "!=", "," or "}"');
    return classifyClause(variable, comparison);
  }

  private atVariableEnd(): boolean {
    const char = this.text[this.offset] ?? '';
    return VARIABLE_STOP.test(char) || this.text.startsWith('!=', this.offset);
  }

  private tryComparison(): RuleComparison | undefined {
    let operator: RuleOperator;
    if (this.text.startsWith('!=', this.offset)) operator = '!=';
    else if (this.text[this.offset] === '=') operator = '=';
    else return undefined;
    this.offset += operator.length;
    this.skipWhitespace();
    if (this.text[this.offset] !== "'") throw new SyntaxFailure(this.offset, `"'" opening the value`);
    const close = this.text.indexOf("'", this.offset + 1);
    if (close === -1) throw new SyntaxFailure(this.text.length, `"'" closing the value`);
    const value = this.text.slice(this.offset + 1, close);
    this.offset = close + 1;
    return { operator, value };
  }

  private matchHere(pattern: RegExp): RegExpExecArray | undefined {
    pattern.lastIndex = this.offset;
    return pattern.exec(this.text) ?? undefined;
  }

  private skipWhitespace(): void {
    while (WHITESPACE.test(this.text[this.offset] ?? '')) this.offset += 1;
  }
}

function classifyClause(variable: string, comparison: RuleComparison | undefined): RuleClause {
  const tag = TAG_VARIABLE.exec(variable);
  if (tag !== null) {
    const namespace = tag[1] ?? '';
    const key = tag[2] ?? '';
    return comparison === undefined ? { kind: 'tag', namespace, key } : { kind: 'tag', namespace, key, comparison };
  }
  const known = RULE_VARIABLES.find((name) => name === variable);
  if (known !== undefined && comparison !== undefined) return { kind: 'variable', variable: known, comparison };
  return comparison === undefined ? { kind: 'unknown', variable } : { kind: 'unknown', variable, comparison };
}

function describeFound(text: string, offset: number): string {
  const char = text[offset];
  return char === undefined ? 'end of rule' : JSON.stringify(char);
}

function toSyntaxError(text: string, failure: SyntaxFailure): MatchingRuleSyntaxError {
  const before = text.slice(0, failure.offset);
  const line = before.split('\n').length;
  const column = failure.offset - (before.lastIndexOf('\n') + 1) + 1;
  const found = describeFound(text, failure.offset);
  const where = text.includes('\n') ? `line ${line}, column ${column}` : `column ${column}`;
  return {
    offset: failure.offset,
    line,
    column,
    expected: failure.expected,
    found,
    message: `expected ${failure.expected} at ${where}, found ${found}`,
  };
}

/**
 * Parses a matching rule as OCI stores it. Never throws: a rule that does not
 * parse yields `{ ok: false, error }` naming the position and what was
 * expected there.
 */
export function parseMatchingRule(text: string): ParseMatchingRuleResult {
  try {
    return { ok: true, rule: new Parser(text).parseRule() };
  } catch (error) {
    if (error instanceof SyntaxFailure) return { ok: false, error: toSyntaxError(text, error) };
    throw error;
  }
}

function renderComparison(comparison: RuleComparison | undefined): string {
  return comparison === undefined ? '' : ` ${comparison.operator} '${comparison.value}'`;
}

/**
 * The canonical text of a rule or node, for display: `Any {…}`/`All {…}`,
 * clauses separated by `, `, one space around operators. Parsing the result
 * gives back the same tree.
 */
export function renderMatchingRule(node: RuleNode): string {
  switch (node.kind) {
    case 'group':
      return `${node.quantifier === 'any' ? 'Any' : 'All'} {${node.clauses.map(renderMatchingRule).join(', ')}}`;
    case 'variable':
      return `${node.variable}${renderComparison(node.comparison)}`;
    case 'tag':
      return `tag.${node.namespace}.${node.key}.value${renderComparison(node.comparison)}`;
    case 'unknown':
      return `${node.variable}${renderComparison(node.comparison)}`;
  }
}
