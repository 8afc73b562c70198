/**
 * Output into a pipe whose reader goes away, as with `… | head -1`: the
 * command ends at once and quietly, with the status of a command killed by
 * SIGPIPE, instead of crashing on EPIPE with a stack trace.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, startCli } from '../helpers/run-cli';
import { buildWorld, TEST_COMPARTMENT_ID } from '../helpers/worlds';

let dir: string;
let bigWorld: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pipes-'));
  bigWorld = join(dir, 'big.json');
  writeFileSync(bigWorld, JSON.stringify(buildWorld({ pools: 60, nodesPerPool: 5 })));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a command whose output pipe is closed after the first line', () => {
  it.each([
    ['demo', ['demo']],
    ['replay --json', ['replay', join(REPO_ROOT, 'examples/events'), '--world', join(REPO_ROOT, 'examples/world.json'), '--json']],
    ['reconcile --json', ['reconcile', '--world', '<big>', '--compartment', TEST_COMPARTMENT_ID, '--json', '--concurrency', '1']],
  ])('ends %s quietly with status 141', async (_name, args) => {
    const run = startCli(args.map((arg) => (arg === '<big>' ? bigWorld : arg)));
    await run.stdoutLines(1);

    run.child.stdout?.destroy();
    const ended = await run.done;

    expect(ended.stderr).toBe('');
    expect(ended.code).toBe(141);
  });
});
