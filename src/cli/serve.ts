/**
 * `serve`: the built function as Fn runs it, against the embedded fake OCI
 * API, behind a local HTTP port, so that `curl -d @event.json` tries it
 * offline. It listens on 127.0.0.1 only and needs `--world`: an open local
 * port must never write to a live tenancy.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TaggerError, UsageError } from '../errors';
import {
  configFromFlags,
  EXIT,
  exitCodeFor,
  parseCommandArgs,
  printHelp,
  stringValue,
  wholeNumberValue,
  type Io,
  type StopSignal,
} from './common';
import { startFunctionProcess, type FunctionProcess } from './function-process';

export const SERVE_HELP = `Usage: oke-nodepool-tagger serve --world FILE [--port N] [--timeout SECONDS]

Runs the built function (dist/func.js) as Fn runs it, over its FDK socket,
against the embedded fake OCI API loaded from a world file, and serves it on
http://127.0.0.1:PORT. POST /, /call or /invoke/<function-id> with an event as
the body: the function gets it with Fn-Call-Id and Fn-Deadline added, and its
status and body come back unchanged. Writes change only the in-memory world.

Options:
  --world FILE              world file for the embedded fake OCI API (required: an
                            open local port never writes to a live tenancy)
  --port N                  port on 127.0.0.1, 0 for any free one (default 8080)
  --timeout SECONDS         each call's deadline, 1-3600 (timeout_seconds; default 30)
  -h, --help                show this help

The function's other config keys (tag_namespace, tag_name, dry_run, log_level, …)
are read from the environment, as Fn passes them. Its log lines go to stderr.
Ctrl-C (or SIGTERM) stops it: exit 130 after SIGINT, 143 after SIGTERM.

Examples:
  oke-nodepool-tagger serve --world examples/world.json
  curl -d @examples/events/01-launch-apps-node.json http://127.0.0.1:8080/`;

const SERVE_OPTIONS = {
  world: { type: 'string' },
  port: { type: 'string' },
  timeout: { type: 'string' },
} as const;

const DEFAULT_PORT = 8080;
/** OCI Functions refuses a larger request body. */
const BODY_LIMIT_BYTES = 6 * 1024 * 1024;
const ROUTE = /^\/(?:call|invoke\/[^/]+)?\/?$/;
/** Request headers that describe the connection to `serve`, not the invocation. */
const HOP_HEADERS = new Set([
  'host',
  'connection',
  'keep-alive',
  'expect',
  'upgrade',
  'content-length',
  'transfer-encoding',
  'fn-call-id',
  'fn-deadline',
]);
/** The function the embedded fake's resource principal is issued to. */
const LOCAL_FUNCTION_ID = 'ocid1.fnfunc.oc1.iad.aaaaaaaalocalservedfunction000000000000000000000000000000';

/** Runs `serve`; resolves with the exit code once a signal stops it or the function exits. */
export async function runServe(args: readonly string[], io: Io): Promise<number> {
  const { values } = parseCommandArgs('serve', args, SERVE_OPTIONS, false);
  if (values.help === true) return printHelp(io, SERVE_HELP);
  const worldFile = stringValue(values, 'world');
  if (worldFile === undefined) {
    throw new UsageError(
      'serve needs --world FILE: it runs against the embedded fake OCI API only, so that an open local port never writes to a live tenancy',
    );
  }
  const port = wholeNumberValue(values, 'serve', 'port', DEFAULT_PORT, 0, 65535);
  // The function's own configuration, checked here so that a bad key exits 2 before anything starts.
  const config = configFromFlags(values, io.env, {
    oci_auth: 'resource_principal',
    compute_endpoint: undefined,
    containerengine_endpoint: undefined,
  });
  const [{ loadWorldFile }, { startEmbeddedApi }, { writeResourcePrincipal }] = await Promise.all([
    import('../local/world'),
    import('../local/embedded'),
    import('./embedded-credentials'),
  ]);
  const world = await loadWorldFile(worldFile);

  const cleanups: (() => Promise<void>)[] = [];
  const cleanUp = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  };
  // Watched from the start, so that a signal during start-up still stops what was started.
  const signals = watchSignals(io);
  cleanups.push(async () => signals.dispose());
  try {
    const dir = await mkdtemp(join(tmpdir(), 'oke-nodepool-tagger-serve-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const embedded = await startEmbeddedApi(world);
    cleanups.push(() => embedded.stop());
    const principal = await writeResourcePrincipal(embedded.credentials, dir, LOCAL_FUNCTION_ID);
    embedded.api.trustKey(principal.keyId, principal.publicKeyPem);
    const fn = await startFunctionProcess(
      join(__dirname, 'func.js'),
      dir,
      functionEnv(io.env, {
        ...principal.env,
        HOME: dir,
        compute_endpoint: embedded.url,
        containerengine_endpoint: embedded.url,
        timeout_seconds: String(config.timeoutSeconds),
      }),
      io.err,
    );
    cleanups.push(() => fn.stop());
    const server = createServer((request, response) => void forward(fn, config.timeoutSeconds, request, response, io));
    cleanups.push(() => closeServer(server));
    const url = await listen(server, port);
    io.out(`serving ${worldFile} through dist/func.js (embedded fake OCI API on ${embedded.url})\nlistening on ${url}\n`);
    return await untilStopped(fn, signals.received, io);
  } finally {
    await cleanUp();
  }
}

/** The function's environment: the caller's (its config keys, as Fn passes them), with the credentials and endpoints of the fake. */
function functionEnv(env: Io['env'], fixed: Readonly<Record<string, string>>): Record<string, string> {
  const merged: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined) merged[key] = value;
  delete merged.OCI_CONFIG_FILE;
  return { ...merged, oci_auth: 'resource_principal', ...fixed };
}

/**
 * The exit code of the first SIGINT (130) or SIGTERM (143) from the moment it
 * is called. The CLI hands stop signals to the command through `io`, so that
 * serve can close what it started before it exits.
 */
function watchSignals(io: Io): { readonly received: Promise<number>; dispose(): void } {
  let onSignal: (signal: StopSignal) => void = () => undefined;
  const received = new Promise<number>((resolve) => {
    onSignal = (signal) => resolve(exitCodeFor(signal));
  });
  if (io.onStopSignal !== undefined) {
    const stopListening = io.onStopSignal(onSignal);
    return { received, dispose: () => void stopListening() };
  }
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    received,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

/** Waits for a signal or the function's exit; returns the exit code for it. */
async function untilStopped(fn: FunctionProcess, signalled: Promise<number>, io: Io): Promise<number> {
  const crashed = fn.exited.then((reason) => ({ reason }));
  const first = await Promise.race([signalled, crashed]);
  if (typeof first === 'number') return first;
  io.err(`oke-nodepool-tagger: serve: the function exited (${first.reason}); stopping\n`);
  return EXIT.error;
}

async function forward(
  fn: FunctionProcess,
  timeoutSeconds: number,
  request: IncomingMessage,
  response: ServerResponse,
  io: Io,
): Promise<void> {
  const started = Date.now();
  const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
  const reply = (status: number, message: string, headers: Record<string, string> = {}) => {
    response.writeHead(status, { 'Content-Type': 'application/json', ...headers }).end(`${JSON.stringify({ message })}\n`);
  };
  try {
    if (!ROUTE.test(path)) return reply(404, `no route ${path}: POST /, /call or /invoke/<function-id>`);
    if (request.method !== 'POST') return reply(405, `${request.method ?? '?'} ${path}: only POST invokes the function`, { Allow: 'POST' });
    const body = await readBody(request);
    if (body === undefined) return reply(413, `the body is over ${BODY_LIMIT_BYTES / 1024 / 1024} MB, the limit of OCI Functions`);
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(request.headers)) if (value !== undefined && !HOP_HEADERS.has(name)) headers[name] = value;
    headers['Fn-Call-Id'] = randomUUID();
    headers['Fn-Deadline'] = new Date(Date.now() + timeoutSeconds * 1000).toISOString();
    const answer = await fn.call(body, headers);
    const contentType = answer.headers['content-type'];
    response.writeHead(answer.status, contentType === undefined ? {} : { 'Content-Type': contentType }).end(answer.body);
    io.out(`POST ${path} ${answer.status} (${Date.now() - started} ms)\n`);
  } catch (error) {
    if (!response.headersSent) reply(502, `the function did not answer: ${error instanceof Error ? error.message : String(error)}`);
    else response.destroy();
  }
}

/** The whole body, or undefined when it exceeds {@link BODY_LIMIT_BYTES}. */
async function readBody(request: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  // Read to the end even past the limit, so that the client is still there to read the 413.
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= BODY_LIMIT_BYTES) chunks.push(chunk);
  }
  return size > BODY_LIMIT_BYTES ? undefined : Buffer.concat(chunks);
}

function listen(server: Server, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new TaggerError(`serve: port ${port} on 127.0.0.1 is in use; pick another with --port N (0 for any free port)`)
          : error,
      ),
    );
    server.listen(port, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
  });
}

function closeServer(server: Server): Promise<void> {
  if (!server.listening) return Promise.resolve();
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  return closed;
}
