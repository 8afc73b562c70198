/**
 * A checker for the IAM text we generate, by the grammar OCI documents:
 *
 * - matching rule: `<variable> = '<value>'` or `<variable> != '<value>'`, or
 *   `any {<rule>, …}` / `all {<rule>, …}` (case-insensitive keywords);
 * - policy statement: `Allow <subject> to <verb> <resource-type> in <location> [where <condition>]`.
 *
 * It is deliberately stricter than OCI: only the verbs, resource types,
 * variables and subjects this project uses or suggests are known, and the
 * grants we promise never to make (`all-resources`, `manage instance-family`)
 * are errors. It returns the problems found; an empty list means valid.
 */
import { ocidType } from '../ocid';

const VERBS = new Set(['inspect', 'read', 'use', 'manage']);

/** Resource types and families the generator writes or suggests in examples. */
export const KNOWN_RESOURCE_TYPES = new Set([
  'cluster-family',
  'clusters',
  'cluster-node-pools',
  'instances',
  'instance-family',
  'tag-namespaces',
  'functions-family',
  'fn-function',
  'fn-invocation',
  'repos',
  'objects',
  'buckets',
  'objectstorage-namespaces',
  'secret-bundles',
]);

const RULE_VARIABLES = [
  /^instance\.compartment\.id$/i,
  /^instance\.id$/i,
  /^resource\.type$/i,
  /^resource\.compartment\.id$/i,
  /^resource\.id$/i,
  /^tag\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.value$/i,
];
const CONDITION_VARIABLES = [
  /^request\.permission$/i,
  /^target\.tag-namespace\.name$/i,
  /^target\.bucket\.name$/i,
  /^target\.repo\.name$/i,
  /^request\.principal\.type$/i,
];
const PLAIN_NAME = /^[A-Za-z0-9_.-]{1,100}$/;

type Token =
  | { readonly kind: 'word'; readonly text: string; readonly at: number }
  | { readonly kind: 'string'; readonly text: string; readonly at: number }
  | { readonly kind: 'punct'; readonly text: '{' | '}' | ',' | '=' | '!=' | '/'; readonly at: number };

/** Splits IAM text into words, quoted strings and punctuation. Throws on an unterminated or unsafe string. */
function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  while (index < text.length) {
    const char = text[index] as string;
    if (/\s/.test(char)) {
      index += 1;
    } else if (char === "'") {
      const end = text.indexOf("'", index + 1);
      if (end < 0) throw new Error(`unterminated quoted string at column ${index + 1}`);
      const value = text.slice(index + 1, end);
      if (value.includes('\\')) throw new Error(`backslash inside the quoted string at column ${index + 1}`);
      // eslint-disable-next-line no-control-regex -- rejecting control characters is the point
      if (/[\u0000-\u001F\u007F-\u009F\u2028\u2029]/.test(value))
        throw new Error(`control character inside the quoted string at column ${index + 1}`);
      tokens.push({ kind: 'string', text: value, at: index + 1 });
      index = end + 1;
    } else if (char === '!' && text[index + 1] === '=') {
      tokens.push({ kind: 'punct', text: '!=', at: index + 1 });
      index += 2;
    } else if (char === '{' || char === '}' || char === ',' || char === '=' || char === '/') {
      tokens.push({ kind: 'punct', text: char, at: index + 1 });
      index += 1;
    } else {
      const match = /^[^\s'{},=!/]+/.exec(text.slice(index));
      if (!match) throw new Error(`unexpected character ${JSON.stringify(char)} at column ${index + 1}`);
      tokens.push({ kind: 'word', text: match[0], at: index + 1 });
      index += match[0].length;
    }
  }
  return tokens;
}

class Cursor {
  private index = 0;
  constructor(private readonly tokens: readonly Token[]) {}

  peek(): Token | undefined {
    return this.tokens[this.index];
  }

  next(what: string): Token {
    const token = this.tokens[this.index];
    if (!token) throw new Error(`expected ${what}, found the end`);
    this.index += 1;
    return token;
  }

  word(what: string): string {
    const token = this.next(what);
    if (token.kind !== 'word') throw new Error(`expected ${what} at column ${token.at}, found ${JSON.stringify(token.text)}`);
    return token.text;
  }

  keyword(keyword: string): void {
    const token = this.next(`"${keyword}"`);
    if (token.kind !== 'word' || token.text.toLowerCase() !== keyword)
      throw new Error(`expected "${keyword}" at column ${token.at}, found ${JSON.stringify(token.text)}`);
  }

  punct(text: string): void {
    const token = this.next(`"${text}"`);
    if (token.kind !== 'punct' || token.text !== text)
      throw new Error(`expected "${text}" at column ${token.at}, found ${JSON.stringify(token.text)}`);
  }

  string(what: string): string {
    const token = this.next(what);
    if (token.kind !== 'string')
      throw new Error(`expected ${what} (a quoted string) at column ${token.at}, found ${JSON.stringify(token.text)}`);
    return token.text;
  }

  atEnd(): boolean {
    return this.index >= this.tokens.length;
  }
}

/** Parses `cond` or `any|all {…}`; `variables` are the names allowed on the left of `=`. */
function parseCondition(cursor: Cursor, variables: readonly RegExp[]): void {
  const first = cursor.next('a condition');
  if (first.kind !== 'word') throw new Error(`expected a condition at column ${first.at}, found ${JSON.stringify(first.text)}`);
  const lower = first.text.toLowerCase();
  if ((lower === 'any' || lower === 'all') && cursor.peek()?.text === '{') {
    cursor.punct('{');
    parseCondition(cursor, variables);
    while (cursor.peek()?.text === ',') {
      cursor.punct(',');
      parseCondition(cursor, variables);
    }
    cursor.punct('}');
    return;
  }
  if (!variables.some((pattern) => pattern.test(first.text)))
    throw new Error(`unknown variable ${JSON.stringify(first.text)} at column ${first.at}`);
  const operator = cursor.next('"=" or "!="');
  if (operator.kind !== 'punct' || (operator.text !== '=' && operator.text !== '!='))
    throw new Error(`expected "=" or "!=" at column ${operator.at}`);
  const value = cursor.string(`the value of ${first.text}`);
  if (value === '') throw new Error(`empty value for ${first.text} at column ${operator.at}`);
  if (/\.id$/i.test(first.text) && ocidType(value) === undefined)
    throw new Error(`${first.text} must be compared with an OCID, got '${value}'`);
}

/** Problems of a dynamic-group matching rule; empty when it is valid. */
export function checkMatchingRule(rule: string): string[] {
  try {
    const cursor = new Cursor(tokenize(rule));
    parseCondition(cursor, RULE_VARIABLES);
    if (!cursor.atEnd()) throw new Error(`unexpected ${JSON.stringify(cursor.peek()?.text)} after the end of the rule`);
    return [];
  } catch (error) {
    return [`matching rule ${JSON.stringify(rule)}: ${error instanceof Error ? error.message : String(error)}`];
  }
}

/** One group name: plain, or `'domain'/'name'`. */
function parseGroupName(cursor: Cursor): void {
  const token = cursor.next('a group name');
  if (token.kind === 'string') {
    cursor.punct('/');
    const name = cursor.string('the group name after the identity domain');
    if (!PLAIN_NAME.test(name)) throw new Error(`group name '${name}' breaks the naming rule`);
    return;
  }
  if (token.kind !== 'word' || !PLAIN_NAME.test(token.text))
    throw new Error(`expected a group name at column ${token.at}, found ${JSON.stringify(token.text)}`);
}

function parseSubject(cursor: Cursor): void {
  const kind = cursor.word('a subject').toLowerCase();
  if (kind === 'any-user' || kind === 'any-group') return;
  if (kind === 'service') {
    const name = cursor.word('a service name');
    if (!/^[A-Za-z][A-Za-z0-9-]*$/.test(name)) throw new Error(`bad service name ${JSON.stringify(name)}`);
    return;
  }
  if (kind !== 'group' && kind !== 'dynamic-group')
    throw new Error(`unknown subject ${JSON.stringify(kind)} (expected group, dynamic-group, service, any-user or any-group)`);
  const parseOne = () => {
    if (cursor.peek()?.kind === 'word' && cursor.peek()?.text.toLowerCase() === 'id') {
      cursor.keyword('id');
      const ocid = cursor.word('a group OCID');
      if (ocidType(ocid) === undefined) throw new Error(`bad group OCID ${JSON.stringify(ocid)}`);
    } else parseGroupName(cursor);
  };
  parseOne();
  while (cursor.peek()?.text === ',') {
    cursor.punct(',');
    parseOne();
  }
}

function parseLocation(cursor: Cursor): void {
  const kind = cursor.word('a location').toLowerCase();
  if (kind === 'tenancy') return;
  if (kind !== 'compartment') throw new Error(`unknown location ${JSON.stringify(kind)} (expected tenancy or compartment)`);
  const next = cursor.word('a compartment name or "id"');
  if (next.toLowerCase() === 'id') {
    const ocid = cursor.word('a compartment OCID');
    if (ocidType(ocid) === undefined) throw new Error(`bad compartment OCID ${JSON.stringify(ocid)}`);
  } else if (!/^[A-Za-z0-9_.:-]+$/.test(next)) throw new Error(`bad compartment name ${JSON.stringify(next)}`);
}

/** Problems of one policy statement; empty when it is valid. */
export function checkPolicyStatement(statement: string): string[] {
  try {
    const cursor = new Cursor(tokenize(statement));
    cursor.keyword('allow');
    parseSubject(cursor);
    cursor.keyword('to');
    const verb = cursor.word('a verb').toLowerCase();
    if (!VERBS.has(verb)) throw new Error(`unknown verb ${JSON.stringify(verb)} (expected ${[...VERBS].join(', ')})`);
    const resourceType = cursor.word('a resource type').toLowerCase();
    if (resourceType === 'all-resources') throw new Error('grants all-resources, which this project never does');
    if (!KNOWN_RESOURCE_TYPES.has(resourceType)) throw new Error(`unknown resource type ${JSON.stringify(resourceType)}`);
    if (verb === 'manage' && resourceType === 'instance-family')
      throw new Error('grants manage instance-family, which this project never does');
    cursor.keyword('in');
    parseLocation(cursor);
    if (!cursor.atEnd()) {
      cursor.keyword('where');
      parseCondition(cursor, CONDITION_VARIABLES);
    }
    if (!cursor.atEnd()) throw new Error(`unexpected ${JSON.stringify(cursor.peek()?.text)} after the end of the statement`);
    return [];
  } catch (error) {
    return [`policy statement ${JSON.stringify(statement)}: ${error instanceof Error ? error.message : String(error)}`];
  }
}
