/**
 * Quoting for the three languages the generator writes into: the IAM
 * language (matching rules and policy statements), bash, and Terraform's HCL.
 *
 * The IAM language has single-quoted string literals and no documented
 * escape sequence, so the only safe strategy is to refuse what cannot be
 * quoted: a value may hold any character except a single quote, a
 * backslash, a control character, a bidirectional-override character or an
 * unpaired surrogate. Spaces, braces, commas, double quotes and other
 * Unicode are fine inside the quotes.
 */

/** Longest value we put between quotes: OCI's limit for a defined tag's value. */
export const MAX_IAM_VALUE_LENGTH = 256;

// Bidi overrides and isolates can make a rule read differently from how it parses (Trojan Source).
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/u;
// eslint-disable-next-line no-control-regex -- control characters are exactly what this rejects
const CONTROL = /[\u0000-\u001F\u007F-\u009F\u2028\u2029]/u;
const LONE_SURROGATE = /\p{Cs}/u;

/** Why `value` cannot be an IAM string literal, or undefined when it can. */
export function iamValueProblem(value: string): string | undefined {
  if (value.length === 0) return 'it is empty';
  if (value.length > MAX_IAM_VALUE_LENGTH)
    return `it is ${value.length} characters long; a defined tag's value holds at most ${MAX_IAM_VALUE_LENGTH}`;
  if (value.includes("'")) return "it contains a single quote ('), which IAM string literals cannot escape";
  if (value.includes('\\')) return 'it contains a backslash (\\), which IAM string literals cannot escape';
  if (CONTROL.test(value)) return 'it contains a control character (e.g. a newline or tab)';
  if (BIDI_CONTROLS.test(value))
    return 'it contains a bidirectional-override character, which would make the rule read differently from how it parses';
  if (LONE_SURROGATE.test(value.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, '')))
    return 'it contains an unpaired UTF-16 surrogate (not valid Unicode)';
  return undefined;
}

/** `'value'` for a matching rule or policy statement. Throws when {@link iamValueProblem} finds a problem. */
export function iamString(value: string): string {
  const problem = iamValueProblem(value);
  if (problem !== undefined) throw new Error(`cannot quote ${JSON.stringify(value.slice(0, 80))} for IAM: ${problem}`);
  return `'${value}'`;
}

/** A bash word that stands for exactly `value`: single-quoted, with each `'` written as `'\''`. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

const BARE_SHELL_WORD = /^[A-Za-z0-9_./:@%+=,-]+$/;
const DOUBLE_QUOTE_SPECIAL = /["$`\\!]/;

/**
 * A bash word for exactly `value`, as readable as it can be: bare when it
 * holds nothing bash treats specially, else single-quoted, else (a value
 * with single quotes, such as a matching rule) double-quoted when nothing
 * in it expands there, else {@link shellQuote}.
 */
export function shellWord(value: string): string {
  if (BARE_SHELL_WORD.test(value)) return value;
  if (!value.includes("'")) return `'${value}'`;
  if (!DOUBLE_QUOTE_SPECIAL.test(value)) return `"${value}"`;
  return shellQuote(value);
}

/** A command line that runs exactly `words` (the program first), each quoted by {@link shellWord}. */
export function shellCommand(words: readonly string[]): string {
  return words.map(shellWord).join(' ');
}

/** An HCL quoted string for exactly `value`: escapes `\`, `"`, control characters and the template openers `${` and `%{`. */
export function hclString(value: string): string {
  let out = '';
  for (const char of value) {
    const code = char.codePointAt(0) ?? 0;
    if (char === '\\') out += '\\\\';
    else if (char === '"') out += '\\"';
    else if (char === '\n') out += '\\n';
    else if (char === '\r') out += '\\r';
    else if (char === '\t') out += '\\t';
    else if (code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029)
      out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += char;
  }
  return `"${out.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{')}"`;
}

/**
 * A name as it may appear inside a `#` comment (bash and HCL): JSON-quoted,
 * so a newline or other control character can never end the comment.
 */
export function commentText(value: string): string {
  return JSON.stringify(value).replace(
    /[\u2028\u2029\u202A-\u202E\u2066-\u2069]/g,
    (char) => `\\u${(char.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`,
  );
}
