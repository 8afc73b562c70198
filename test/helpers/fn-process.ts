/**
 * Runs a built function bundle as Fn runs it: `FN_FORMAT=http-stream`,
 * `FN_LISTENER=unix:<dir>/lsnr.sock`, and `POST /call` with `Fn-Call-Id`
 * and `Fn-Deadline` over the unix socket.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export interface FnResponse {
  readonly status: number;
  readonly text: string;
  /** The parsed JSON body. */
  readonly json: Record<string, unknown>;
}

export interface FnProcess {
  call(body: string | Buffer, options?: { headers?: Record<string, string>; deadlineInMs?: number; callId?: string }): Promise<FnResponse>;
  /** Log lines the function wrote to stderr, parsed where they are JSON. */
  logs(): Record<string, unknown>[];
  /** Everything the function wrote to stdout and stderr so far. */
  output(): { stdout: string; stderr: string };
  readonly child: ChildProcess;
  readonly startupMs: number;
  stop(): Promise<void>;
}

export const FUNC_BUNDLE = resolve(__dirname, '../../dist/func.js');

let callCounter = 0;

/**
 * Starts `dist/func.js` (or `script`) with `env` and waits for its socket.
 * The bundle is copied into an empty directory first, as the image holds it,
 * so that it cannot lean on a node_modules beside it.
 */
export async function startFunction(env: Record<string, string>, bundle = FUNC_BUNDLE): Promise<FnProcess> {
  if (!existsSync(bundle)) throw new Error(`${bundle} is missing: run npm run build first`);
  const dir = mkdtempSync(join(tmpdir(), 'fn-'));
  const script = join(dir, 'func.js');
  copyFileSync(bundle, script);
  const socket = join(dir, 'lsnr.sock');
  const started = Date.now();
  const child = spawn(process.execPath, [script], {
    env: { PATH: process.env.PATH ?? '', HOME: dir, FN_FORMAT: 'http-stream', FN_LISTENER: `unix:${socket}`, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let stdout = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));

  const until = Date.now() + 5000;
  while (!existsSync(socket)) {
    if (child.exitCode !== null) throw new Error(`function exited with ${child.exitCode} before listening:\n${stderr}${stdout}`);
    if (Date.now() > until) {
      child.kill();
      throw new Error(`function did not listen on ${socket} within 5 s:\n${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  const startupMs = Date.now() - started;

  return {
    child,
    startupMs,
    output: () => ({ stdout, stderr }),
    logs: () =>
      stderr
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => {
          try {
            return JSON.parse(line) as Record<string, unknown>;
          } catch {
            return { raw: line };
          }
        }),
    call: (body, options = {}) =>
      new Promise<FnResponse>((resolvePromise, reject) => {
        callCounter += 1;
        const payload = typeof body === 'string' ? Buffer.from(body) : body;
        const req = request(
          {
            socketPath: socket,
            path: '/call',
            method: 'POST',
            headers: {
              'Fn-Call-Id': options.callId ?? `call-${callCounter}`,
              'Fn-Deadline': new Date(Date.now() + (options.deadlineInMs ?? 30_000)).toISOString(),
              'Content-Type': 'application/json',
              'Content-Length': String(payload.length),
              ...options.headers,
            },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (chunk: Buffer) => chunks.push(chunk));
            res.on('end', () => {
              const text = Buffer.concat(chunks).toString('utf8');
              let json: Record<string, unknown> = {};
              try {
                json = JSON.parse(text) as Record<string, unknown>;
              } catch {
                json = {};
              }
              resolvePromise({ status: res.statusCode ?? 0, text, json });
            });
          },
        );
        req.on('error', reject);
        req.end(payload);
      }),
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
