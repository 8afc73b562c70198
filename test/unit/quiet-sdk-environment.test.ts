/** The test environment that keeps the OCI SDK's retry warnings out of passing tests' output. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');

describe('the quiet SDK test environment', () => {
  it('prints the SDK retry warnings of a failing test only, and every other warning', () => {
    const dir = mkdtempSync(join(tmpdir(), 'quiet-env-'));
    writeFileSync(
      join(dir, 'sample.test.js'),
      `it('passes', () => { console.warn('All retry attempts have exhausted. Total Attempts : 8 ' + 'HIDDEN'); console.warn('our own ' + 'warning'); });
it('fails', () => { console.warn('Request failed with Exception : ' + 'SHOWN'); throw new Error('boom'); });
`,
    );
    const config = { rootDir: dir, testEnvironment: join(ROOT, 'test/setup/quiet-sdk-environment.js'), transform: {} };
    try {
      const run = spawnSync(process.execPath, [join(ROOT, 'node_modules/jest/bin/jest.js'), '--config', JSON.stringify(config), '--ci'], {
        cwd: dir,
        encoding: 'utf8',
        timeout: 60_000,
      });

      const output = `${run.stdout}${run.stderr}`;
      expect(run.status).toBe(1);
      expect(output).toContain('our own warning');
      expect(output).toContain('Exception : SHOWN');
      expect(output).not.toContain('8 HIDDEN');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
