/**
 * Splits a command line into the argv bash would pass, for the subset of
 * bash a printed fix may use: words separated by spaces, single quotes,
 * double quotes and backslash escapes. Anything bash would expand or treat
 * as syntax (`$`, backquotes, globs, braces, `!`, redirections, `;`, `&`,
 * `|`, comments, `~`) is refused rather than guessed at, so a fix that
 * passes here means the same to every shell user who pastes it.
 */

const UNQUOTED_SPECIAL = /[|&;<>()$`*?[\]{}!#~"'\\]/;
const DOUBLE_QUOTED_SPECIAL = /[$`!]/;

/** The words of `line`; throws on a construct outside the subset, naming it and where it is. */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  let index = 0;
  const fail = (what: string) => {
    throw new Error(`${what} at ${index} in ${JSON.stringify(line)}`);
  };
  while (index < line.length) {
    const char = line[index] ?? '';
    if (char === ' ' || char === '\t') {
      if (word !== undefined) words.push(word);
      word = undefined;
      index += 1;
    } else if (char === "'") {
      const end = line.indexOf("'", index + 1);
      if (end < 0) fail('an unterminated single quote');
      word = (word ?? '') + line.slice(index + 1, end);
      index = end + 1;
    } else if (char === '"') {
      let text = '';
      index += 1;
      for (;;) {
        const inner = line[index];
        if (inner === undefined) fail('an unterminated double quote');
        if (inner === '"') break;
        if (inner === '\\' && /[$`"\\]/.test(line[index + 1] ?? '')) {
          text += line[index + 1];
          index += 2;
          continue;
        }
        if (DOUBLE_QUOTED_SPECIAL.test(inner ?? '')) fail(`an expansion (${inner}) inside double quotes`);
        text += inner;
        index += 1;
      }
      word = (word ?? '') + text;
      index += 1;
    } else if (char === '\\') {
      const next = line[index + 1];
      if (next === undefined) fail('a trailing backslash');
      word = (word ?? '') + next;
      index += 2;
    } else {
      if (UNQUOTED_SPECIAL.test(char) || /[\n\r]/.test(char)) fail(`an unquoted shell character (${char})`);
      word = (word ?? '') + char;
      index += 1;
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}
