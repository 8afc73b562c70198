/**
 * The built function (`dist/func.js`) run as Fn runs it: a child process
 * with `FN_FORMAT=http-stream` and `FN_LISTENER=unix:<dir>/lsnr.sock`,
 * called with `POST /call` over that socket, one call at a time.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { request, type IncomingHttpHeaders } from 'node:http';
import { join } from 'node:path';
import { createLimiter } from '../concurrency';
import { TaggerError } from '../errors';

/** Fn's contract: the FDK must listen within 5 s of starting. */
const LISTEN_TIMEOUT_MS = 5000;
/** How long a stopped function may take to exit before it is killed. */
const EXIT_GRACE_MS = 2000;

export interface FunctionAnswer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

export interface FunctionProcess {
  /** Sends one call; `headers` must already carry `Fn-Call-Id` and `Fn-Deadline`. */
  call(body: Buffer, headers: Readonly<Record<string, string | string[]>>): Promise<FunctionAnswer>;
  /** Resolves with the exit code (or signal) when the function exits, for whatever reason. */
  readonly exited: Promise<string>;
  stop(): Promise<void>;
}

/**
 * Starts `script` with `env` in `dir` and waits until its socket exists.
 * The function's stdout and stderr go to `log`.
 */
export async function startFunctionProcess(
  script: string,
  dir: string,
  env: Readonly<Record<string, string>>,
  log: (text: string) => void,
): Promise<FunctionProcess> {
  if (!existsSync(script)) throw new TaggerError(`the built function ${script} is missing: run npm run build`);
  const socket = join(dir, 'lsnr.sock');
  const child = spawn(process.execPath, [script], {
    cwd: dir,
    env: { ...env, FN_FORMAT: 'http-stream', FN_LISTENER: `unix:${socket}` },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const forward = (chunk: Buffer) => {
    const text = chunk.toString();
    output = (output + text).slice(-4000);
    log(text);
  };
  child.stdout.on('data', forward);
  child.stderr.on('data', forward);
  const exited = new Promise<string>((resolve) => {
    child.once('error', (error) => resolve(error.message));
    child.once('exit', (code, signal) => resolve(signal ?? `exit code ${code ?? 'unknown'}`));
  });
  let running = true;
  void exited.then(() => (running = false));

  const until = Date.now() + LISTEN_TIMEOUT_MS;
  while (!existsSync(socket)) {
    if (!running) throw new TaggerError(`the function ${script} exited before listening (${await exited}):\n${output}`);
    if (Date.now() > until) {
      child.kill('SIGKILL');
      throw new TaggerError(`the function ${script} did not listen on ${socket} within ${LISTEN_TIMEOUT_MS / 1000} s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }

  // The FDK serves one call at a time, as Fn sends them.
  const oneAtATime = createLimiter(1);
  return {
    exited,
    call: (body, headers) => oneAtATime(() => callSocket(socket, body, headers)),
    stop: async () => {
      if (!running) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), EXIT_GRACE_MS);
      await exited;
      clearTimeout(killer);
    },
  };
}

function callSocket(socket: string, body: Buffer, headers: Readonly<Record<string, string | string[]>>): Promise<FunctionAnswer> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      { socketPath: socket, path: '/call', method: 'POST', headers: { ...headers, 'Content-Length': String(body.length) } },
      (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('error', reject);
        incoming.on('end', () => resolve({ status: incoming.statusCode ?? 502, headers: incoming.headers, body: Buffer.concat(chunks) }));
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}
