import fc from 'fast-check';
import { findJsonSyntaxProblem } from '../../src/local/json-syntax';

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

describe('findJsonSyntaxProblem', () => {
  it('agrees with JSON.parse on what is JSON', () => {
    const pieces = fc.constantFrom(
      '{',
      '}',
      '[',
      ']',
      ',',
      ':',
      '"a"',
      '"\\u00e9"',
      '"\\x"',
      '1',
      '-0.5e3',
      '01',
      'true',
      'nul',
      ' ',
      '\n',
      '"\t"',
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.json(),
          fc.array(pieces, { maxLength: 12 }).map((parts) => parts.join('')),
        ),
        (text) => {
          expect(findJsonSyntaxProblem(text) === undefined).toBe(parses(text));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('gives the line and column of the first character that breaks the grammar', () => {
    expect(findJsonSyntaxProblem('{\n  "a": 1,\n  }')).toEqual({ line: 3, column: 3, found: '"}"' });
    expect(findJsonSyntaxProblem('{"clusters": [')).toEqual({ line: 1, column: 15, found: 'end of file' });
  });
});
