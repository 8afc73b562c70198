// Bundles the two entry points into self-contained files under dist/:
// the runtime image holds dist/ only, with no node_modules beside it.
import { build } from 'esbuild';
import { readFile, rm, stat } from 'node:fs/promises';

const { version } = JSON.parse(await readFile('package.json', 'utf8'));
await rm('dist', { recursive: true, force: true });
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: false,
  minify: true,
  keepNames: true,
  legalComments: 'linked',
  logLevel: 'warning',
  metafile: true,
  define: { 'process.env.OKE_NODEPOOL_TAGGER_VERSION': JSON.stringify(version) },
};
const entries = [
  { in: 'src/func.ts', out: 'dist/func.js' },
  { in: 'src/cli.ts', out: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
];
for (const entry of entries) {
  try {
    await stat(entry.in);
  } catch {
    continue;
  }
  await build({ ...common, entryPoints: [entry.in], outfile: entry.out, ...(entry.banner ? { banner: entry.banner } : {}) });
  const { size } = await stat(entry.out);
  console.log(`${entry.out}: ${(size / 1024).toFixed(0)} KiB`);
}
