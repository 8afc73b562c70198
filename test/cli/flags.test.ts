/** Options and small courtesies of the command line. */
import { join } from 'node:path';
import { DRIFT_SCOPE, DRIFT_WORKERS_COMPARTMENT, DRIFT_WORLD } from '../helpers/drift-world';
import { REPO_ROOT, runCli } from '../helpers/run-cli';

const WORLD = join(REPO_ROOT, 'examples/world.json');

describe('command-line options', () => {
  it('suggests the nearest option for an unknown one', async () => {
    const run = await runCli(['reconcile', '--world', DRIFT_WORLD, '--compartment-id', DRIFT_WORKERS_COMPARTMENT]);

    expect(run.code).toBe(2);
    expect(run.stderr).toBe("oke-nodepool-tagger: reconcile: Unknown option '--compartment-id'; did you mean --compartment?\n");
  });

  it('suggests nothing for an option far from every known one', async () => {
    const run = await runCli(['replay', '--frobnicate']);

    expect(run.code).toBe(2);
    expect(run.stderr).toBe("oke-nodepool-tagger: replay: Unknown option '--frobnicate'\n");
  });

  it('accepts --dry-run on reconcile, where it is the default', async () => {
    const run = await runCli(['reconcile', '--world', DRIFT_WORLD, ...DRIFT_SCOPE, '--dry-run']);

    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^action +instance +node pool +from +to +dry run$/m);
  });

  it.each([[['help', '--help']], [['help', '-h']]])('shows the main help for %j', async (args) => {
    const run = await runCli(args);

    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Usage: oke-nodepool-tagger <command>/);
    expect(run.stdout).toMatch(/130 stopped by SIGINT/);
  });

  it('counts one API call in the singular', async () => {
    const run = await runCli(['replay', join(REPO_ROOT, 'examples/events/03-launch-bastion.json'), '--world', WORLD]);

    expect(run.stdout).toMatch(/\[1 call, \d+ ms\]/);
  });

  it('gives every column of the demo table its own header', async () => {
    const run = await runCli(['demo']);

    const lines = run.stdout.split('\n');
    const header = lines.findIndex((line) => line.startsWith('instance '));
    const columns = (line: string) => line.split(/ {2,}/);
    expect(columns(lines[header] ?? '')).toEqual(['instance', 'before', 'after', 'last outcome']);
    expect(columns(lines[header + 1] ?? '')).toHaveLength(4);
    expect(lines[header - 1]).toBe('The pool tag oke-nodepool-tags.oke-nodepool-name of each instance:');
  });
});

describe('replay with credentials that cannot be used', () => {
  it('stops at the first event with one message', async () => {
    const run = await runCli(['replay', join(REPO_ROOT, 'examples/events')], { HOME: '/nonexistent' });

    expect(run.code).toBe(1);
    expect(run.stderr.match(/oke-nodepool-tagger: /g)).toHaveLength(1);
    expect(run.stderr).not.toContain('invocation failed');
    expect(run.stdout).toBe('');
  });
});
