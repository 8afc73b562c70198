/**
 * `serve` in a child process: the built CLI starts the built function over
 * its FDK socket against the embedded fake, and answers on 127.0.0.1.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI_BUNDLE, REPO_ROOT, runCli } from '../helpers/run-cli';

const WORLD = join(REPO_ROOT, 'examples/world.json');
const LAUNCH = readFileSync(join(REPO_ROOT, 'test/fixtures/events/oci/launchinstance-end.json'));

let scratch: string;
beforeEach(() => {
  scratch = mkdtempSync(join(tmpdir(), 'serve-test-'));
});
afterEach(() => rmSync(scratch, { recursive: true, force: true }));

interface Serving {
  readonly child: ChildProcessWithoutNullStreams;
  readonly port: number;
  readonly output: () => { stdout: string; stderr: string };
  readonly exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `serve` and waits for the port it prints. */
function startServe(args: readonly string[]): Promise<Serving> {
  const child = spawn(process.execPath, [CLI_BUNDLE, 'serve', ...args], {
    cwd: REPO_ROOT,
    // Its own TMPDIR shows whether serve removed the function's socket directory on the way out.
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/nonexistent', TMPDIR: scratch },
  });
  let stdout = '';
  let stderr = '';
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not print its port:\n${stdout}\n${stderr}`)), 20_000);
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const port = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(stdout)?.[1];
      if (port !== undefined) {
        clearTimeout(timer);
        resolve({ child, port: Number(port), output: () => ({ stdout, stderr }), exit });
      }
    });
    void exit.then(({ code }) => reject(new Error(`serve exited with ${code}:\n${stdout}\n${stderr}`)));
  });
}

function post(port: number, path: string, body: string | Buffer): Promise<{ status: number; json: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      { host: '127.0.0.1', port, path, method: 'POST', headers: { 'Content-Type': 'application/json' } },
      (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('end', () =>
          resolve({
            status: incoming.statusCode ?? 0,
            json: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>,
          }),
        );
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

describe('oke-nodepool-tagger serve', () => {
  it('tags a launched node, rejects garbage and keeps serving, and stops with 143 on SIGTERM', async () => {
    // Prepare
    const serving = await startServe(['--world', WORLD, '--port', '0']);

    // Act
    const launched = await post(serving.port, '/', LAUNCH);
    const garbage = await post(serving.port, '/call', 'this is not an event');
    const again = await post(serving.port, '/invoke/ocid1.fnfunc.oc1.iad.aaaaaaaaexample', LAUNCH);
    serving.child.kill('SIGTERM');
    const exit = await serving.exit;

    // Assess
    expect(launched).toMatchObject({ status: 200, json: { outcome: 'tagged', nodePoolName: 'apps', apiCalls: 3 } });
    expect(garbage).toMatchObject({ status: 200, json: { outcome: 'rejected' } });
    expect(again).toMatchObject({ status: 200, json: { outcome: 'unchanged', nodePoolName: 'apps' } });
    expect(exit).toEqual({ code: 143, signal: null });
    expect(serving.output().stderr).toContain('"msg":"function ready"');
    expect(serving.output().stderr).not.toContain('the function exited');
    expect(readdirSync(scratch)).toEqual([]);
  }, 60_000);

  it('answers 404 for a path the function is not served on, and exits 130 on SIGINT', async () => {
    // Prepare
    const serving = await startServe(['--world', WORLD, '--port', '0']);

    // Act
    const unknown = await post(serving.port, '/metrics', '{}');
    serving.child.kill('SIGINT');
    const exit = await serving.exit;

    // Assess
    expect(unknown).toMatchObject({ status: 404, json: { message: expect.stringContaining('POST /, /call or /invoke/') } });
    expect(exit).toEqual({ code: 130, signal: null });
    expect(readdirSync(scratch)).toEqual([]);
  }, 60_000);

  it('refuses to start without --world, so that a local port never writes to a live tenancy', async () => {
    // Act
    const run = await runCli(['serve', '--port', '0']);

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/serve needs --world FILE: .*never writes to a live tenancy/);
    expect(run.stdout).toBe('');
  });

  it('exits 2 naming the variable when a function config key in the environment is bad', async () => {
    // Act
    const run = await runCli(['serve', '--world', WORLD, '--port', '0'], { tag_name: 'has space' });

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('config tag_name:');
  });
});
