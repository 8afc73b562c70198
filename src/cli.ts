/**
 * Composition root for the command line. It dispatches to one command,
 * maps errors to exit codes (1 error, 2 bad usage) and never prints a stack
 * trace for an expected failure. Wired to a process, it ends quietly when
 * the reader of its output goes away and hands SIGINT and SIGTERM to the
 * running command.
 */
import { format } from 'node:util';
import { describeError, TaggerError, UsageError } from './errors';
import { createJsonLogger } from './log';
import { EXIT, exitCodeFor, type Io, type StopSignal } from './cli/common';

export const MAIN_HELP = `Usage: oke-nodepool-tagger <command> [options]

Tags OKE worker nodes with their node pool's name so that IAM dynamic groups
can grant each node pool its own rights. These commands run the same code as
the OCI Function, locally.

Commands:
  replay      feed recorded events through the handler (embedded fake or real API)
  snapshot    read a tenancy (pools, instances, and what explain and doctor read) into a world file
  reconcile   backfill and fix pool tags on existing nodes, find tagged non-members
  iam         print the least-privilege IAM setup (dynamic groups, policies, events rule)
  explain     show one node's pool, tags, matching dynamic groups and the statements naming them
  doctor      check a deployment end to end, read-only (exit 3 a check failed, 1 unknown)
  demo        replay the bundled examples against the bundled world (npm start)
  serve       run the built function on a local port against a world file (curl -d @event.json)
  help        show this help, or a command's help: help <command>

Run "oke-nodepool-tagger <command> --help" for a command's options and examples.

Exit codes: 0 success, 1 error (explain, doctor: something could not be read or is
unknown), 2 bad usage, 3 out of sync (reconcile --exit-code) or a doctor check failed,
130 stopped by SIGINT (Ctrl-C), 143 stopped by SIGTERM, 141 the output pipe was
closed (as for any command that writes into a pipe whose reader has gone).`;

type Command = (args: readonly string[], io: Io) => Promise<number>;

const COMMANDS: Record<string, () => Promise<Command>> = {
  replay: async () => (await import('./cli/replay')).runReplay,
  snapshot: async () => (await import('./cli/snapshot')).runSnapshot,
  reconcile: async () => (await import('./cli/reconcile')).runReconcile,
  iam: async () => (await import('./cli/iam')).runIam,
  explain: async () => (await import('./cli/explain')).runExplain,
  doctor: async () => (await import('./cli/doctor')).runDoctor,
  demo: async () => (await import('./cli/demo')).runDemo,
  serve: async () => (await import('./cli/serve')).runServe,
};

/** Runs the CLI with `argv` (without node and script). Returns the exit code. */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || isHelpFlag(command) || command === 'help') {
      const topic = command === 'help' && !isHelpFlag(rest[0]) ? rest[0] : undefined;
      if (topic !== undefined && COMMANDS[topic]) return await (await COMMANDS[topic]())(['--help'], io);
      if (topic !== undefined) throw new UsageError(`unknown command "${topic}"`);
      io.out(`${MAIN_HELP}\n`);
      return command === undefined ? EXIT.usage : EXIT.ok;
    }
    if (command === '--version') {
      io.out(`${process.env.OKE_NODEPOOL_TAGGER_VERSION ?? 'development'}\n`);
      return EXIT.ok;
    }
    const load = COMMANDS[command];
    if (!load) throw new UsageError(`unknown command "${command}" (commands: ${Object.keys(COMMANDS).join(', ')}; see --help)`);
    return await (
      await load()
    )(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`oke-nodepool-tagger: ${error.message}\n`);
      return EXIT.usage;
    }
    io.err(`oke-nodepool-tagger: ${error instanceof TaggerError ? error.message : describeError(error)}\n`);
    return EXIT.error;
  }
}

function isHelpFlag(arg: string | undefined): boolean {
  return arg === '--help' || arg === '-h';
}

/** Hands each stop signal to the command's listeners; with none listening, the process exits as a stopped command does. */
function stopSignals(exit: (code: number) => void): NonNullable<Io['onStopSignal']> {
  const listeners = new Set<(signal: StopSignal) => void>();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (listeners.size === 0) exit(exitCodeFor(signal));
      for (const listener of listeners) listener(signal);
    });
  }
  return (listener) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  };
}

/**
 * A reader that went away (`| head -1`) closes the pipe: the command stops
 * at once and quietly, with the status a command killed by SIGPIPE has.
 * Any other write error on stdout is reported on stderr.
 */
function endOnClosedPipe(): void {
  const closed = (error: NodeJS.ErrnoException) => error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED';
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (!closed(error)) process.stderr.write(`oke-nodepool-tagger: cannot write the output: ${error.message}\n`);
    process.exit(closed(error) ? EXIT.closedPipe : EXIT.error);
  });
  process.stderr.on('error', (error: NodeJS.ErrnoException) => process.exit(closed(error) ? EXIT.closedPipe : EXIT.error));
}

if (require.main === module) {
  endOnClosedPipe();
  // The SDK writes a free-text warning for every failed call; keep it out of the output unless log_level=debug.
  const libraryLog = createJsonLogger((line) => process.stderr.write(`${line}\n`), process.env.log_level === 'debug' ? 'debug' : 'error');
  console.warn = (...args: unknown[]) => libraryLog.log('debug', 'library warning', { detail: format(...args).slice(0, 2000) });
  // It also notes a config file without a [DEFAULT] profile on console.info, which would land in stdout.
  console.info = console.warn;
  // Exit once output is flushed, so that a lingering socket or timer can never keep a finished command alive.
  const exit = (code: number) => process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
  const io: Io = {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    env: process.env,
    isTty: process.stdout.isTTY === true,
    errIsTty: process.stderr.isTTY === true,
    cwd: process.cwd(),
    onStopSignal: stopSignals(exit),
  };
  main(process.argv.slice(2), io).then(exit, (error: unknown) => {
    process.stderr.write(`oke-nodepool-tagger: ${describeError(error)}\n`);
    exit(EXIT.error);
  });
}
