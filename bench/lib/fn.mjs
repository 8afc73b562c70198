// Runs a function as Fn runs it: FN_FORMAT=http-stream, FN_LISTENER=unix:<dir>/lsnr.sock,
// one POST /call at a time with Fn-Call-Id and Fn-Deadline. Plain-JS twin of
// test/helpers/fn-process.ts, with the timings and /proc readings the bench needs.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, watch } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { clearTimeout, setTimeout } from 'node:timers';
import { setTimeout as sleep } from 'node:timers/promises';

const LISTEN_LIMIT_MS = 5000;
let callCounter = 0;

/**
 * Spawns `node [...nodeArgs] script [...scriptArgs]` and resolves once the FDK's socket
 * exists. `spawnedAt` and `listeningAt` are performance.now() readings.
 */
export async function startFn({ node = process.execPath, script, nodeArgs = [], scriptArgs = [], env = {}, cwd }) {
  const dir = mkdtempSync(join(tmpdir(), 'oke-bench-fn-'));
  const socket = join(dir, 'lsnr.sock');
  const spawnedAt = performance.now();
  const child = spawn(node, [...nodeArgs, script, ...scriptArgs], {
    cwd: cwd ?? dir,
    env: { PATH: process.env.PATH ?? '', HOME: dir, FN_FORMAT: 'http-stream', FN_LISTENER: `unix:${socket}`, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const tail = [];
  let timing;
  const keep = (chunk) => {
    for (const line of chunk.toString().split('\n')) {
      if (line.startsWith('BENCH-TIMING ')) timing = JSON.parse(line.slice('BENCH-TIMING '.length));
      else if (line.trim() !== '') {
        tail.push(line);
        if (tail.length > 40) tail.shift();
      }
    }
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));

  // inotify tells us at once; the short poll covers a missed event.
  let listeningAt;
  const watcher = watch(dir, () => {
    if (listeningAt === undefined && existsSync(socket)) listeningAt = performance.now();
  });
  try {
    const until = spawnedAt + LISTEN_LIMIT_MS;
    while (listeningAt === undefined) {
      if (existsSync(socket)) listeningAt = performance.now();
      else if (child.exitCode !== null) throw new Error(`function exited with ${child.exitCode} before listening:\n${tail.join('\n')}`);
      else if (performance.now() > until) {
        child.kill('SIGKILL');
        throw new Error(`function did not listen within ${LISTEN_LIMIT_MS} ms:\n${tail.join('\n')}`);
      } else await sleep(2);
    }
  } finally {
    watcher.close();
  }

  return {
    child,
    pid: child.pid,
    spawnedAt,
    listeningAt,
    listenMs: listeningAt - spawnedAt,
    /** The wrapper's own timings (bench/lib/timed-entry.js), once reported. */
    timing: () => timing,
    logTail: () => tail.join('\n'),
    /** Sends one call; resolves to { status, json, text, ms, endedAt } or rejects on timeout / socket error. */
    call: (body, { deadlineMs = 30_000, timeoutMs = deadlineMs + 5000 } = {}) =>
      new Promise((resolve, reject) => {
        callCounter += 1;
        const payload = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
        const started = performance.now();
        const req = request(
          {
            socketPath: socket,
            path: '/call',
            method: 'POST',
            headers: {
              'Fn-Call-Id': `bench-${callCounter}`,
              'Fn-Deadline': new Date(Date.now() + deadlineMs).toISOString(),
              'Content-Type': 'application/json',
              'Content-Length': String(payload.length),
            },
          },
          (res) => {
            const chunks = [];
            res.on('data', (chunk) => chunks.push(chunk));
            res.on('end', () => {
              const endedAt = performance.now();
              const text = Buffer.concat(chunks).toString('utf8');
              let json = {};
              try {
                json = JSON.parse(text);
              } catch {
                json = {};
              }
              resolve({ status: res.statusCode ?? 0, text, json, ms: endedAt - started, endedAt });
            });
          },
        );
        req.setTimeout(timeoutMs, () => req.destroy(new Error(`call timed out after ${timeoutMs} ms`)));
        req.on('error', reject);
        req.end(payload);
      }),
    /** VmRSS and VmHWM (peak) of the function process, in bytes. */
    memory: () => readMemory(child.pid),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function readMemory(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name) => {
      const match = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status);
      return match ? Number(match[1]) * 1024 : undefined;
    };
    return { rss: field('VmRSS'), hwm: field('VmHWM') };
  } catch {
    return { rss: undefined, hwm: undefined };
  }
}
