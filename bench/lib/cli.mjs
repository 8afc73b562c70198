// The built CLI (dist/cli.js) as a user runs it, with the peak RSS of its process.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { readMemory } from './fn.mjs';

/** Runs `dist/cli.js` of `root` once; resolves with exit code, stdout, stderr, wall time and the peak RSS (VmHWM polled every 50 ms). */
export function runCli(root, args, env, limitMs) {
  return new Promise((resolvePromise, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [join(root, 'dist/cli.js'), ...args], {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let peak = 0;
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const poll = setInterval(() => {
      peak = Math.max(peak, readMemory(child.pid).hwm ?? 0);
    }, 50);
    const kill = setTimeout(() => child.kill('SIGKILL'), limitMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(poll);
      clearTimeout(kill);
      resolvePromise({ code, stdout, stderr, peakRss: peak, wallMs: performance.now() - started });
    });
  });
}

/** The JSON summary a `reconcile --json` run prints last. */
export function lastJsonLine(stdout) {
  const lines = stdout.trim().split('\n').filter(Boolean);
  return JSON.parse(lines.at(-1) ?? '{}');
}

/** The CLI's environment in real-API mode: an OCI config file, with the fake as both endpoints. */
export function cliEnv(ctx, api) {
  return { OCI_CONFIG_FILE: ctx.credentials.configFile.path, compute_endpoint: api.url, containerengine_endpoint: api.url };
}
