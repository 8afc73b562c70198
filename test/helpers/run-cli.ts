/** Runs the built `dist/cli.js` as a child process, as a user would. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

export const CLI_BUNDLE = resolve(__dirname, '../../dist/cli.js');
export const REPO_ROOT = resolve(__dirname, '../..');

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A CLI child process still running: its process, its output so far, and its end. */
export interface RunningCli {
  readonly child: ChildProcess;
  /** Resolves once stdout holds at least `count` complete lines. */
  readonly stdoutLines: (count: number) => Promise<string[]>;
  readonly done: Promise<CliRun>;
}

/** Starts `node dist/cli.js …args` with a clean environment plus `env`. */
export function startCli(
  args: readonly string[],
  env: Record<string, string> = {},
  options: { cwd?: string; timeoutMs?: number } = {},
): RunningCli {
  if (!existsSync(CLI_BUNDLE)) throw new Error(`${CLI_BUNDLE} is missing: run npm run build first`);
  const child = spawn(process.execPath, [CLI_BUNDLE, ...args], {
    cwd: options.cwd ?? REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/nonexistent', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const waiters = new Set<() => void>();
  const wakeAll = () => [...waiters].forEach((wake) => wake());
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    wakeAll();
  });
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
  const done = new Promise<CliRun>((resolvePromise, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      wakeAll();
      resolvePromise({ code, stdout, stderr });
    });
  });
  const stdoutLines = (count: number) =>
    new Promise<string[]>((resolvePromise, reject) => {
      const check = () => {
        const lines = stdout.split('\n').slice(0, -1);
        const ended = child.exitCode !== null || child.signalCode !== null;
        if (lines.length >= count || ended) waiters.delete(check);
        if (lines.length >= count) resolvePromise(lines);
        else if (ended) reject(new Error(`the CLI ended with ${lines.length} of ${count} lines; stderr: ${stderr}`));
      };
      waiters.add(check);
      check();
    });
  return { child, stdoutLines, done };
}

/** Runs `node dist/cli.js …args` with a clean environment plus `env`. */
export function runCli(
  args: readonly string[],
  env: Record<string, string> = {},
  options: { cwd?: string; timeoutMs?: number } = {},
): Promise<CliRun> {
  return startCli(args, env, options).done;
}

/** Parses every stdout line as JSON; throws if any line is not JSON (machine-clean output). */
export function jsonLines(stdout: string): Record<string, unknown>[] {
  return stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
