/**
 * Finds where a text stops being JSON. `JSON.parse` says what went wrong
 * but, depending on the error and the Node version, not where, and it may
 * quote a slice of the text; a world file's author needs the line and the
 * column.
 */

/** Where JSON text first breaks the grammar, 1-based, and what is there. */
export interface JsonSyntaxProblem {
  readonly line: number;
  readonly column: number;
  /** The character found there, quoted, or "end of file". */
  readonly found: string;
}

class Broken {
  constructor(readonly at: number) {}
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const WHITESPACE = new Set([' ', '\t', '\n', '\r']);
const ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);

/** Scans `text` by the JSON grammar; returns the first place it breaks, or undefined when it is JSON. */
export function findJsonSyntaxProblem(text: string): JsonSyntaxProblem | undefined {
  let i = 0;
  const fail = (): never => {
    throw new Broken(i);
  };
  const skipWhitespace = () => {
    while (WHITESPACE.has(text[i] ?? '')) i += 1;
  };
  const expect = (char: string) => (text[i] === char ? (i += 1) : fail());
  const string = () => {
    expect('"');
    for (;;) {
      const char = text[i];
      if (char === undefined || char < ' ') fail();
      if (char === '"') return void (i += 1);
      if (char === '\\') {
        i += 1;
        if (text[i] === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail();
          i += 4;
        } else if (!ESCAPES.has(text[i] ?? '')) fail();
      }
      i += 1;
    }
  };
  const members = (close: string, member: () => void) => {
    i += 1;
    skipWhitespace();
    if (text[i] === close) return void (i += 1);
    for (;;) {
      member();
      skipWhitespace();
      if (text[i] === close) return void (i += 1);
      expect(',');
      skipWhitespace();
    }
  };
  const value = (): void => {
    skipWhitespace();
    const char = text[i];
    if (char === '{')
      return members('}', () => {
        string();
        skipWhitespace();
        expect(':');
        value();
      });
    if (char === '[') return members(']', value);
    if (char === '"') return string();
    for (const word of ['true', 'false', 'null']) if (text.startsWith(word, i)) return void (i += word.length);
    NUMBER.lastIndex = i;
    if (!NUMBER.test(text)) fail();
    i = NUMBER.lastIndex;
  };
  try {
    value();
    skipWhitespace();
    if (i < text.length) fail();
    return undefined;
  } catch (error) {
    if (!(error instanceof Broken)) throw error;
    return locate(text, error.at);
  }
}

function locate(text: string, at: number): JsonSyntaxProblem {
  const before = text.slice(0, at);
  const line = before.split('\n').length;
  const column = at - before.lastIndexOf('\n');
  const char = text[at];
  return { line, column, found: char === undefined ? 'end of file' : JSON.stringify(char) };
}
