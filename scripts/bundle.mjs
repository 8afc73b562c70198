// Bundles the two entry points into self-contained files under dist/:
// the runtime image holds dist/ only, with no node_modules beside it.
import { build } from 'esbuild';
import { rm, stat } from 'node:fs/promises';
import { SHIPPED_OPTIONS } from './esbuild-options.mjs';

await rm('dist', { recursive: true, force: true });
const entries = [
  { in: 'src/func.ts', out: 'dist/func.js' },
  { in: 'src/cli.ts', out: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
];
for (const entry of entries) {
  await build({ ...SHIPPED_OPTIONS, entryPoints: [entry.in], outfile: entry.out, ...(entry.banner ? { banner: entry.banner } : {}) });
  const { size } = await stat(entry.out);
  console.log(`${entry.out}: ${(size / 1024).toFixed(0)} KiB`);
}
