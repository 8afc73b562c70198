import { spawnSync } from 'node:child_process';
import { buildName, disambiguate, isValidName, MAX_NAME_LENGTH, sanitiseSegment } from '../../src/iam/names';
import { commentText, hclString, iamString, iamValueProblem, shellCommand, shellQuote, shellWord } from '../../src/iam/quote';

describe('iamString', () => {
  it.each(['apps', 'web frontend', 'json{cfg}, a=b', 'say "hi"', 'données-é-日本', '🚀 rocket', 'x'.repeat(256)])(
    'quotes %j between single quotes unchanged',
    (value) => {
      // Prepare: a representable value. Act:
      const quoted = iamString(value);
      // Assess
      expect(quoted).toBe(`'${value}'`);
    },
  );

  it.each([
    ["o'brien", 'single quote'],
    ['back\\slash', 'backslash'],
    ['two\nlines', 'control character'],
    ['tab\there', 'control character'],
    ['evil\u202Eeulav', 'bidirectional'],
    ['x'.repeat(257), 'at most 256'],
    ['', 'empty'],
    ['broken\uD800', 'surrogate'],
  ])('refuses %j because of a %s', (value, reason) => {
    // Prepare: an unrepresentable value. Act / Assess
    expect(iamValueProblem(value)).toContain(reason);
    expect(() => iamString(value)).toThrow(reason);
  });
});

describe('shellQuote', () => {
  it.each(["o'brien", 'a b', '$(rm -rf /)', '`x` $HOME \\ "q"', 'données\n日本', "''"])('makes bash see exactly %j', (value) => {
    // Prepare: a hostile value. Act: let bash echo the quoted word back.
    const result = spawnSync('bash', ['-c', `printf '%s' ${shellQuote(value)}`], { encoding: 'utf8' });
    // Assess
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(value);
  });
});

describe('shellWord', () => {
  it.each([
    'ocid1.tenancy.oc1..aaaa',
    '{"actions":[{"isEnabled":true}]}',
    "All {tag.ns.key.value = 'web'}",
    "o'brien $HOME",
    '*',
    '',
    '{a,b}',
    "it's !history",
  ])('makes bash see exactly %j', (value) => {
    // Act
    const result = spawnSync('bash', ['-c', `printf '%s' ${shellWord(value)}`], { encoding: 'utf8' });
    // Assess
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(value);
  });

  it('leaves plain words bare and puts a value with single quotes in double quotes', () => {
    // Act
    const line = shellCommand(['oci', 'iam', 'tag', 'get', '--tag-name', 'oke-nodepool-name', '--rule', "All {x = 'y'}"]);
    // Assess
    expect(line).toBe(`oci iam tag get --tag-name oke-nodepool-name --rule "All {x = 'y'}"`);
  });
});

describe('hclString', () => {
  it('escapes quotes, backslashes, newlines and template openers', () => {
    // Prepare
    const value = 'a "b" \\ c\n${var.x} %{if}';
    // Act
    const quoted = hclString(value);
    // Assess
    expect(quoted).toBe('"a \\"b\\" \\\\ c\\n$${var.x} %%{if}"');
  });

  it('keeps Unicode as it is', () => {
    // Prepare / Act / Assess
    expect(hclString('données-日本')).toBe('"données-日本"');
  });
});

describe('commentText', () => {
  it('never lets a name end a comment line', () => {
    // Prepare
    const name = 'evil\nrm -rf /\u2028x';
    // Act
    const text = commentText(name);
    // Assess
    expect(text).not.toMatch(/[\n\r\u2028\u2029]/);
    expect(text).toContain('\\n');
  });
});

describe('names', () => {
  it('keeps a name that already fits the rule', () => {
    // Prepare / Act
    const name = buildName('oke-pool', ['apps']);
    // Assess
    expect(name).toBe('oke-pool-apps');
  });

  it('replaces spaces and drops accents, and marks the change with a hash', () => {
    // Prepare / Act
    const name = buildName('oke-pool', ['web frontend é']);
    // Assess
    expect(name).toMatch(/^oke-pool-web-frontend-e-[0-9a-f]{6}$/);
    expect(isValidName(name)).toBe(true);
  });

  it('gives different names to raw names that sanitise alike', () => {
    // Prepare / Act
    const a = buildName('oke-pool', ['a b']);
    const b = buildName('oke-pool', ['a_b'.replace('_', '/')]);
    // Assess
    expect(a).not.toBe(b);
  });

  it('cuts a long name to the limit and keeps it deterministic', () => {
    // Prepare
    const raw = 'p'.repeat(300);
    // Act
    const first = buildName('oke-pool', [raw]);
    const second = buildName('oke-pool', [raw]);
    // Assess
    expect(first.length).toBeLessThanOrEqual(MAX_NAME_LENGTH);
    expect(first).toBe(second);
    expect(isValidName(first)).toBe(true);
  });

  it('turns a name of only foreign characters into a valid one', () => {
    // Prepare / Act
    const segment = sanitiseSegment('日本');
    // Assess
    expect(segment).toEqual({ text: 'x', lossy: true });
  });

  it('disambiguates names that differ only in case with a hash of their keys', () => {
    // Prepare
    const items = [
      { name: 'oke-pool-batch', key: 'pool-1' },
      { name: 'oke-pool-Batch', key: 'pool-2' },
      { name: 'oke-pool-apps', key: 'pool-3' },
    ];
    // Act
    const result = disambiguate(items);
    // Assess
    expect(result[2]?.name).toBe('oke-pool-apps');
    expect(result[0]?.name).toMatch(/^oke-pool-batch-[0-9a-f]{8}$/);
    expect(result[1]?.name).toMatch(/^oke-pool-Batch-[0-9a-f]{8}$/);
    expect(result[0]?.name.toLowerCase()).not.toBe(result[1]?.name.toLowerCase());
  });
});
