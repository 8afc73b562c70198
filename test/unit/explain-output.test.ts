/** What `explain` prints: four numbered sections, what could not be seen, colour only on a terminal without NO_COLOR. */
import type { Io } from '../../src/cli/common';
import { renderExplain } from '../../src/cli/explain-output';
import { BROKEN_RULE, buckets, explain, world } from '../helpers/explain-world';
import { MemoryAccessCloud, notAuthorized } from '../helpers/memory-access-ports';

const ESC = String.fromCharCode(27);

function io(isTty: boolean, env: Record<string, string> = {}): Io {
  return { out: () => {}, err: () => {}, env, isTty, cwd: '/' };
}

describe('renderExplain', () => {
  it('prints the four sections in the order of the issue, then what could not be seen', async () => {
    // Prepare
    const cloud = new MemoryAccessCloud(world({ domains: false }));
    cloud.failures.set(`ListPolicies ${buckets}`, notAuthorized('ListPolicies', buckets));
    const result = await explain(cloud, 'stale');
    // Act
    const text = renderExplain(result, io(false), 9);
    // Assess
    const starts = ['1. The instance', '2. Our tags', '3. The dynamic groups', '4. The policy statements', 'Could not be seen:'].map(
      (heading) => text.indexOf(`${heading}\n`),
    );
    expect(starts.every((start) => start >= 0)).toBe(true);
    expect([...starts].sort((a, b) => a - b)).toEqual(starts);
    expect(text).toMatch(/oke-nodepool-tags\.oke-nodepool-name +pool-a +old-name/);
    expect(text).toContain('the function would: fix');
    expect(text).toContain(`ListPolicies ${buckets}: `);
    expect(text).toContain('name each domain with --identity-domain-url URL');
    expect(text.trimEnd().split('\n').at(-1)).toBe('not complete: some answers are unknown (9 API calls)');
  });

  it('points at the column where a rule stops parsing', async () => {
    // Prepare
    const cloud = new MemoryAccessCloud(world({ broken: true }));
    const result = await explain(cloud, 'member');
    // Act
    const lines = renderExplain(result, io(false), 0).split('\n');
    // Assess
    const ruleLine = lines.findIndex((line) => line.endsWith(BROKEN_RULE));
    const caret = lines[ruleLine + 1] ?? '';
    expect(caret.indexOf('^')).toBe((lines[ruleLine] ?? '').length);
    expect(caret).toContain(`at column ${BROKEN_RULE.length + 1}`);
  });

  it.each([
    [false, {}, false],
    [true, {}, true],
    [true, { NO_COLOR: '1' }, false],
  ])('uses colour only on a terminal without NO_COLOR (tty %s, env %j)', async (isTty, env, coloured) => {
    // Prepare
    const cloud = new MemoryAccessCloud(world());
    const result = await explain(cloud, 'member');
    // Act
    const text = renderExplain(result, io(isTty, env), 0);
    // Assess
    expect(text.includes(ESC)).toBe(coloured);
  });
});
