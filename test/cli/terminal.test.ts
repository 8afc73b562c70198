/**
 * Behaviour on a terminal: the built CLI is run under a pseudo-terminal made
 * by util-linux `script`, so that stdout is a TTY as it is for a person.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI_BUNDLE, REPO_ROOT, runCli } from '../helpers/run-cli';
import { DRIFT_SCOPE, DRIFT_WORLD } from '../helpers/drift-world';

const ESC = String.fromCharCode(27);

/** Runs the CLI on a pseudo-terminal; with `stdoutFile`, stdout goes to that file and only stderr stays on the terminal. */
function runOnTerminal(
  args: readonly string[],
  env: Record<string, string> = {},
  stdoutFile?: string,
): Promise<{ code: number | null; output: string }> {
  const quote = (part: string) => `'${part.replace(/'/g, `'\\''`)}'`;
  const command =
    [process.execPath, CLI_BUNDLE, ...args].map(quote).join(' ') + (stdoutFile === undefined ? '' : ` > ${quote(stdoutFile)}`);
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qec', command, '/dev/null'], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? '', TERM: 'xterm', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe('on a terminal', () => {
  it('colours the outcomes, and not when the output is piped or NO_COLOR is set', async () => {
    const args = ['replay', join(REPO_ROOT, 'examples/events/01-launch-apps-node.json'), '--world', join(REPO_ROOT, 'examples/world.json')];

    const tty = await runOnTerminal(args);
    const noColor = await runOnTerminal(args, { NO_COLOR: '1' });
    const piped = await runCli(args);

    expect(tty.code).toBe(0);
    expect(tty.output).toContain(`${ESC}[32mtagged`);
    expect(noColor.output).toMatch(/tagged/);
    expect(noColor.output).not.toContain(`${ESC}[`);
    expect(piped.stdout).not.toContain(`${ESC}[`);
  });

  it('shows reconcile progress on the terminal and clears it before the table', async () => {
    const run = await runOnTerminal(['reconcile', '--world', DRIFT_WORLD, ...DRIFT_SCOPE]);

    expect(run.code).toBe(0);
    expect(run.output).toMatch(/\rnode pools 2\/2 · \d+ API calls/);
    expect(run.output).toContain(`\r${ESC}[K`);
    expect(run.output).toMatch(/tag 2, fix 1, prune 1, ok 2/);
  });

  it('keeps colour on when NO_COLOR is set but empty', async () => {
    const run = await runOnTerminal(
      ['replay', join(REPO_ROOT, 'examples/events/01-launch-apps-node.json'), '--world', join(REPO_ROOT, 'examples/world.json')],
      {
        NO_COLOR: '',
      },
    );

    expect(run.output).toContain(`${ESC}[32mtagged`);
  });

  it('shows reconcile progress on a terminal stderr while stdout goes to a file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'terminal-'));
    const out = join(dir, 'out.txt');
    try {
      const run = await runOnTerminal(['reconcile', '--world', DRIFT_WORLD, ...DRIFT_SCOPE], {}, out);

      expect(run.code).toBe(0);
      expect(run.output).toMatch(/\rnode pools 2\/2 · \d+ API calls/);
      const written = readFileSync(out, 'utf8');
      expect(written).toMatch(/^tag 2, fix 1, prune 1, ok 2/m);
      expect(written).not.toContain('node pools 2/2');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
