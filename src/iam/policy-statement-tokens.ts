/**
 * The tokens of the IAM policy language: bare words (keywords, names, OCIDs,
 * resource types, variables, `a:b` paths), single-quoted strings (no escape
 * sequence exists), `/pattern/` values after `=` or `!=`, and the
 * punctuation `,` `{` `}` `/` `=` `!=`; and the cursor the parser reads
 * them with.
 */

/** One token, with the 0-based position of its first character. */
export interface Token {
  readonly kind: 'word' | 'string' | 'pattern' | 'punct';
  readonly text: string;
  readonly start: number;
}

/**
 * A statement that does not follow the grammar. It never leaves the parser,
 * which turns it into a result naming the position and what was expected.
 */
export class SyntaxProblem extends Error {
  constructor(
    readonly position: number,
    readonly expected: string,
    readonly found: string,
  ) {
    super(`expected ${expected} at position ${position}, found ${found}`);
    this.name = 'SyntaxProblem';
  }
}

const WORD_END = /[\s',{}=!/]/u;

/** Splits a statement into tokens. Throws {@link SyntaxProblem} on an unterminated quote or pattern, or a stray `!`. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (at < text.length) {
    const char = text.charAt(at);
    if (/\s/u.test(char)) {
      at += 1;
    } else if (char === "'" || (char === '/' && isOperator(tokens[tokens.length - 1]))) {
      const close = text.indexOf(char, at + 1);
      const what = char === "'" ? "a closing quote (') for the quote opened here" : 'the closing / of the pattern opened here';
      if (close < 0) throw new SyntaxProblem(at, what, 'the end of the statement');
      tokens.push({ kind: char === "'" ? 'string' : 'pattern', text: text.slice(at + 1, close), start: at });
      at = close + 1;
    } else if (char === '!') {
      if (text.charAt(at + 1) !== '=') throw new SyntaxProblem(at + 1, '"=" after "!"', `"${text.charAt(at + 1)}"`);
      tokens.push({ kind: 'punct', text: '!=', start: at });
      at += 2;
    } else if (',{}=/'.includes(char)) {
      tokens.push({ kind: 'punct', text: char, start: at });
      at += 1;
    } else {
      let end = at + 1;
      while (end < text.length && !WORD_END.test(text.charAt(end))) end += 1;
      tokens.push({ kind: 'word', text: text.slice(at, end), start: at });
      at = end;
    }
  }
  return tokens;
}

function isOperator(token: Token | undefined): boolean {
  return token?.kind === 'punct' && (token.text === '=' || token.text === '!=');
}

function describe(token: Token | undefined): string {
  if (token === undefined) return 'the end of the statement';
  return token.kind === 'string' ? `'${token.text}'` : `"${token.text}"`;
}

/** A cursor over the tokens of one statement, for the recursive descent of the parser. */
export class Cursor {
  private index = 0;

  constructor(
    private readonly tokens: readonly Token[],
    private readonly length: number,
  ) {}

  peek(offset = 0): Token | undefined {
    return this.tokens[this.index + offset];
  }

  position(): number {
    return this.peek()?.start ?? this.length;
  }

  isWord(word: string, offset = 0): boolean {
    const token = this.peek(offset);
    return token?.kind === 'word' && token.text.toLowerCase() === word;
  }

  isPunct(text: string): boolean {
    const token = this.peek();
    return token?.kind === 'punct' && token.text === text;
  }

  fail(expected: string): never {
    throw new SyntaxProblem(this.position(), expected, describe(this.peek()));
  }

  next(): Token {
    const token = this.peek();
    if (token === undefined) return this.fail('more of the statement');
    this.index += 1;
    return token;
  }

  keyword(word: string): void {
    if (!this.isWord(word)) this.fail(`"${word}"`);
    this.index += 1;
  }

  punct(text: string): boolean {
    if (!this.isPunct(text)) return false;
    this.index += 1;
    return true;
  }

  /** A name: a bare word or a quoted string. */
  name(what: string): string {
    const token = this.peek();
    if (token === undefined || (token.kind !== 'word' && token.kind !== 'string')) return this.fail(what);
    this.index += 1;
    return token.text;
  }

  atEnd(): boolean {
    return this.index >= this.tokens.length;
  }
}
