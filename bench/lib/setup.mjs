// What every section shares: the compiled TypeScript helpers, resource-principal
// credentials, our bundle copied to its run directory, and the Node 22 binary.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadHelpers } from './helpers.mjs';
import { OURS, ROOT, RUN_ROOT, TMP } from './paths.mjs';

/**
 * Prepares a run; returns the context the sections take: `{ options, plan, h,
 * credentials, node22, node22Version }`. Call tearDown(ctx) when done.
 */
export async function setUp(options) {
  if (!existsSync(join(ROOT, 'dist/func.js'))) throw new Error('dist/func.js is missing: run npm run build first (npm run bench does)');
  const h = await loadHelpers(ROOT, TMP);
  const credentials = await h.createTestCredentials();
  rmSync(RUN_ROOT, { recursive: true, force: true });
  mkdirSync(dirname(OURS), { recursive: true });
  copyFileSync(join(ROOT, 'dist/func.js'), OURS);
  const node22Version = options.node22 ? execFileSync(options.node22, ['-v']).toString().trim() : undefined;
  return { options, plan: options.plan, h, credentials, node22: options.node22, node22Version };
}

/** Removes the credentials and run directories, and bench/tmp unless --keep-tmp. */
export async function tearDown(ctx) {
  await ctx.credentials.cleanup();
  rmSync(RUN_ROOT, { recursive: true, force: true });
  // Generated bundles under bench/tmp would otherwise be picked up by `eslint .`.
  if (!ctx.options.keepTmp) rmSync(TMP, { recursive: true, force: true });
}
