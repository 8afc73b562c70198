/**
 * The tokens of the IAM policy language: bare words (keywords, names, OCIDs,
 * resource types, variables, `a:b` paths), single-quoted strings (no escape
 * sequence exists), `/pattern/` values after `=` or `!=`, and the
 * punctuation `,` `{` `}` `/` `=` `!=`.
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
