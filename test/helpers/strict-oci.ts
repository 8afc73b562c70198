/**
 * Puts the strict `oci` stand-in (test/helpers/strict-oci/) on a temporary
 * PATH and runs generated bash scripts against it, keeping its state between
 * runs so that a script can be run twice.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ENTRY = join(__dirname, 'strict-oci', 'oci.cjs');

/** The stand-in's argument check: what the CLI refuses before it calls a service (see strict-oci/cli-rules.cjs). */
const { parseInvocation, CliRefusal } = createRequire(__filename)('./strict-oci/cli-rules.cjs') as {
  readonly parseInvocation: (argv: readonly string[]) => { readonly name: string };
  readonly CliRefusal: new (...args: never[]) => Error & { readonly exitCode: number };
};

/** What the argument check says of one invocation (the words after `oci`). */
export type OciArgumentCheck =
  { readonly accepted: true; readonly command: string } | { readonly accepted: false; readonly message: string; readonly exitCode: number };

/** Checks `argv` as the CLI would before calling a service, without running it or touching any state. */
export function checkOciArguments(argv: readonly string[]): OciArgumentCheck {
  try {
    return { accepted: true, command: parseInvocation(argv).name };
  } catch (error) {
    if (error instanceof CliRefusal) return { accepted: false, message: error.message, exitCode: error.exitCode };
    throw error;
  }
}

/** The stand-in's own empty state, so that the state this helper writes first has the shape the stand-in reads. */
const { emptyState } = createRequire(__filename)('./strict-oci/services.cjs') as {
  readonly emptyState: (domains: Record<string, string>) => StrictOciState & { readonly next: number };
};

/** One resource as the stand-in keeps it (kebab-case keys, as the CLI prints them). */
export type StrictOciResource = Record<string, unknown> & { readonly id: string };

export interface StrictOciState {
  readonly domains: Record<string, string>;
  readonly tagNamespaces: StrictOciResource[];
  readonly tags: StrictOciResource[];
  readonly dynamicGroups: StrictOciResource[];
  readonly domainGroups: StrictOciResource[];
  readonly policies: StrictOciResource[];
  readonly rules: StrictOciResource[];
  readonly schedules: StrictOciResource[];
  /** Functions as `fn deploy` leaves them; seed them before a script updates one. */
  readonly functions: StrictOciResource[];
}

export interface StrictOciCall {
  readonly argv: readonly string[];
  readonly code: number;
}

export interface ScriptRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** The `oci` calls of this run only. */
  readonly calls: readonly StrictOciCall[];
}

export interface StrictOci {
  /** Runs `script` with bash, the stand-in first on PATH, plus `env`. */
  runScript(script: string, env?: Record<string, string>): ScriptRun;
  /** Runs the stand-in once with `argv`. */
  run(argv: readonly string[]): ScriptRun;
  state(): StrictOciState;
  /** Replaces parts of the state, e.g. to seed a deleted resource. */
  seed(state: Partial<StrictOciState>): void;
  cleanup(): void;
}

/** A stand-in with an empty state; `domains` maps identity domain URLs to domain names. */
export function createStrictOci(domains: Record<string, string> = {}): StrictOci {
  const dir = mkdtempSync(join(tmpdir(), 'strict-oci-'));
  const statePath = join(dir, 'state.json');
  const logPath = join(dir, 'calls.jsonl');
  writeFileSync(join(dir, 'oci'), `#!/bin/sh\nexec "${process.execPath}" "${ENTRY}" "$@"\n`);
  chmodSync(join(dir, 'oci'), 0o755);
  writeFileSync(statePath, JSON.stringify(emptyState(domains)));
  const readCalls = (): StrictOciCall[] =>
    existsSync(logPath)
      ? readFileSync(logPath, 'utf8')
          .split('\n')
          .filter((line) => line !== '')
          .map((line) => JSON.parse(line) as StrictOciCall)
      : [];
  const spawn = (command: string, args: readonly string[], env: Record<string, string>): ScriptRun => {
    const before = readCalls().length;
    const result = spawnSync(command, args, {
      encoding: 'utf8',
      // No stdin: a prompt gets end-of-file, as in CI; and a socket on stdin would make bash read ~/.bashrc.
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: `${dir}:${process.env.PATH ?? ''}`, STRICT_OCI_STATE: statePath, STRICT_OCI_LOG: logPath, ...env },
    });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr, calls: readCalls().slice(before) };
  };
  return {
    runScript: (script, env = {}) => spawn('bash', ['-c', script], env),
    run: (argv) => spawn(join(dir, 'oci'), argv, {}),
    state: () => JSON.parse(readFileSync(statePath, 'utf8')) as StrictOciState,
    seed: (state) => writeFileSync(statePath, JSON.stringify({ ...JSON.parse(readFileSync(statePath, 'utf8')), ...state })),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** The value after `flag` in a call, or undefined. */
export function argAfter(call: StrictOciCall, flag: string): string | undefined {
  const index = call.argv.indexOf(flag);
  return index < 0 ? undefined : call.argv[index + 1];
}

/** The calls whose command (the words before the first option) is `command`, e.g. `iam policy update`. */
export function callsOf(calls: readonly StrictOciCall[], command: string): StrictOciCall[] {
  const words = command.split(' ');
  return calls.filter((call) => words.every((word, index) => call.argv[index] === word));
}
