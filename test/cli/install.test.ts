/**
 * The command line as a user installs it: `npm pack`, then `npm install -g`
 * of the tarball, offline, into a temporary prefix, and the installed
 * `oke-nodepool-tagger` run from PATH in a directory that is not the
 * project's.
 *
 * It packs a copy of the project without dist/, so the bundles in the
 * tarball can only come from the prepack build, and that build writes the
 * copy's dist/: the repository's dist/, which the other CLI tests run while
 * this one does, is never rebuilt under them.
 */
import { execFile, execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { REPO_ROOT } from '../helpers/run-cli';

const PACKAGE = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
const TARBALL_NAME = `${PACKAGE.name}-${PACKAGE.version}.tgz`;
const INSTALLED = ['lib', 'node_modules', PACKAGE.name];

// Left out of the copy: what a clean clone does not hold, and node_modules, linked instead of copied.
const NOT_COPIED = new Set(['node_modules', 'dist', '.git', 'coverage', '.jest-results.json', 'bench/results', 'bench/tmp']);

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `command` with only PATH, HOME and `env` in its environment, so no npm setting of the caller leaks in. */
function run(command: string, args: readonly string[], cwd: string, env: Record<string, string>, timeoutMs = 180_000): Promise<Run> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd, env: { PATH: process.env.PATH ?? '', ...env }, timeout: timeoutMs }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
      resolve({ code, stdout, stderr });
    });
  });
}

/** The files under `dir`, relative to it, sorted. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => statSync(join(dir, file)).isFile())
    .sort();
}

/** The files a tarball holds, without npm's `package/` folder, sorted: read with tar, independently of npm's own report. */
function filesInTarball(tarball: string): string[] {
  const unpacked = join(scratch, 'unpacked');
  mkdirSync(unpacked);
  execFileSync('tar', ['-xzf', tarball, '-C', unpacked], { stdio: 'ignore' });
  return filesUnder(join(unpacked, 'package'));
}

/** The demo's output without what differs from run to run: where its examples are and how long each call took. */
function comparableDemo(stdout: string, examplesDir: string): string {
  return stdout
    .split(examplesDir)
    .join('<examples>')
    .replace(/\d+ ms\]/g, 'N ms]');
}

let scratch: string;
let project: string;
let prefix: string;
let npmEnv: Record<string, string>;
let pack: Run;
let install: Run;

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'install-test-'));
  project = join(scratch, 'project');
  prefix = join(scratch, 'prefix');
  cpSync(REPO_ROOT, project, { recursive: true, filter: (source) => !NOT_COPIED.has(relative(REPO_ROOT, source)) });
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(project, 'node_modules'), 'dir');
  for (const dir of ['home', 'npm-cache', 'packs', 'elsewhere']) mkdirSync(join(scratch, dir));
  // An empty cache and --offline: the install fails if the tarball needs anything from a registry.
  npmEnv = { HOME: join(scratch, 'home'), npm_config_cache: join(scratch, 'npm-cache'), npm_config_update_notifier: 'false' };

  pack = await run('npm', ['pack', '--pack-destination', join(scratch, 'packs')], project, npmEnv);
  install = await run(
    'npm',
    ['install', '--global', '--offline', '--no-audit', '--no-fund', '--prefix', prefix, join(scratch, 'packs', TARBALL_NAME)],
    join(scratch, 'elsewhere'),
    npmEnv,
  );
}, 300_000);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Runs the installed command by name, found on PATH in the prefix's bin/, from a directory without the project. */
function installedCommand(args: readonly string[]): Promise<Run> {
  return run(PACKAGE.name, args, join(scratch, 'elsewhere'), {
    PATH: `${join(prefix, 'bin')}:${process.env.PATH ?? ''}`,
    HOME: join(scratch, 'home'),
  });
}

describe('npm pack', () => {
  it('builds dist/ in prepack and packs the bundles, the examples and the README, without sources, tests or node_modules', () => {
    const examples = filesUnder(join(REPO_ROOT, 'examples')).map((file) => `examples/${file}`);

    const packed = filesUnder(join(scratch, 'packs'));
    const listing = pack.code === 0 ? filesInTarball(join(scratch, 'packs', TARBALL_NAME)) : [];

    expect(pack).toMatchObject({ code: 0 });
    expect(packed).toEqual([TARBALL_NAME]);
    expect(listing).toEqual(
      ['README.md', 'dist/cli.js', 'dist/cli.js.LEGAL.txt', 'dist/func.js', 'dist/func.js.LEGAL.txt', ...examples, 'package.json'].sort(),
    );
    expect(listing.filter((file) => /^(src|test|scripts|bench|node_modules)\//.test(file))).toEqual([]);
  });
});

describe('npm install --global of the tarball', () => {
  it('installs offline, with nothing beside dist/ to fetch', () => {
    const installedFiles = install.code === 0 ? filesUnder(join(prefix, ...INSTALLED)) : [];

    expect(install).toMatchObject({ code: 0 });
    expect(installedFiles.filter((file) => file.startsWith('node_modules/'))).toEqual([]);
    expect(installedFiles).toContain('dist/cli.js');
    expect(existsSync(join(prefix, 'bin', PACKAGE.name))).toBe(true);
  });

  it("puts the command on PATH, and --version prints package.json's version", async () => {
    const version = await installedCommand(['--version']);

    expect(version).toEqual({ code: 0, stdout: `${PACKAGE.version}\n`, stderr: '' });
  });

  it('runs the demo from any directory, with the output npm start gives', async () => {
    // Without its prestart build: the start script runs the copy's dist/, the very bundles that were packed.
    const started = await run('npm', ['start', '--silent', '--ignore-scripts'], project, npmEnv);

    const demo = await installedCommand(['demo']);

    expect(started).toMatchObject({ code: 0, stderr: '' });
    expect(demo).toMatchObject({ code: 0, stderr: '' });
    expect(demo.stdout).toContain(`against ${join(prefix, ...INSTALLED, 'examples', 'world.json')}`);
    expect(demo.stdout).toContain('6 event(s): 2 tagged, 2 not-in-node-pool, 1 unchanged, 1 rejected');
    expect(comparableDemo(demo.stdout, join(prefix, ...INSTALLED, 'examples'))).toBe(
      comparableDemo(started.stdout, join(project, 'examples')),
    );
  }, 60_000);
});
