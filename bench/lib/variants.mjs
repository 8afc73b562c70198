// Candidate bundles for the cold-start investigation, built from src/func.ts
// with esbuild into bench/tmp/variants/<name>/. Each is the shipped options of
// scripts/esbuild-options.mjs with the fields it changes overridden here.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { lazySdkModels, nodePolyfillStubs, SHIPPED_OPTIONS } from '../../scripts/esbuild-options.mjs';

/**
 * The bundle the variants are compared against: the shipped options without
 * the two plugins and with esbuild's keepNames, as dist/ was built before the
 * plugins were measured and kept.
 */
const PLAIN = { plugins: [], keepNames: true };

/** Lower bound without the SDK: the three SDK packages resolve to empty modules. */
const sdkFreeStubs = {
  name: 'bench-sdk-free',
  setup(builder) {
    builder.onResolve({ filter: /^oci-(common|core|containerengine)$/ }, (args) => ({ path: args.path, namespace: 'bench-stub' }));
    builder.onLoad({ filter: /.*/, namespace: 'bench-stub' }, () => ({ contents: 'module.exports = {};', loader: 'js' }));
  },
};

const ESM_BANNER =
  "import { createRequire as __benchCreateRequire } from 'node:module'; const require = __benchCreateRequire(import.meta.url);";
const ESM_SPLIT = { format: 'esm', splitting: true, outExtension: { '.js': '.mjs' }, banner: { js: ESM_BANNER } };

/**
 * The candidates. `functional: false` marks lower bounds that cannot answer an
 * event (their first event is not checked).
 */
export const VARIANTS = [
  { name: 'shipped', note: 'dist/func.js as npm run build makes it', fromDist: true },
  { name: 'no-minify', note: 'minify: false', options: { ...PLAIN, minify: false } },
  { name: 'no-keepNames', note: 'keepNames: false', options: { ...PLAIN, keepNames: false } },
  {
    name: 'stub-polyfills',
    note: 'alias es6-promise, isomorphic-fetch, node-fetch to stubs',
    options: { ...PLAIN, plugins: [nodePolyfillStubs] },
  },
  { name: 'esm-split', note: 'format esm + splitting: the SDK is a lazy chunk', options: { ...PLAIN, ...ESM_SPLIT }, entry: 'func.mjs' },
  {
    name: 'stubs+noKeepNames',
    note: 'stub-polyfills + keepNames: false',
    options: { ...PLAIN, keepNames: false, plugins: [nodePolyfillStubs] },
  },
  {
    name: 'combined',
    note: 'esm-split + stub-polyfills + keepNames: false',
    options: { ...PLAIN, ...ESM_SPLIT, keepNames: false, plugins: [nodePolyfillStubs] },
    entry: 'func.mjs',
  },
  { name: 'lazy-models', note: 'oci-core/containerengine model index as lazy getters', options: { ...PLAIN, plugins: [lazySdkModels] } },
  { name: 'lazy+stubs+noKN', note: 'lazy-models + stub-polyfills + keepNames: false: the shipped options, rebuilt', options: {} },
  {
    name: 'lazy+combined',
    note: 'lazy-models + combined (esm-split, stubs, keepNames: false): the shipped options + esm-split',
    options: ESM_SPLIT,
    entry: 'func.mjs',
  },
  {
    name: 'banner-enableCC',
    note: 'module.enableCompileCache() at the top of the bundle',
    options: { ...PLAIN, banner: { js: "require('node:module').enableCompileCache?.(require('node:path').join(__dirname, '.cache'));" } },
  },
  { name: 'wrapper-enableCC', note: 'tiny func.js: enableCompileCache(), then require(func.bundle.js)', options: PLAIN, wrapper: true },
  {
    name: 'sdk-free (bound)',
    note: 'oci-* stubbed: lower bound, cannot answer',
    options: { ...PLAIN, plugins: [sdkFreeStubs] },
    functional: false,
  },
];

/** Scratch bundles under bench/tmp need no licence file beside them. */
function variantOptions(overrides) {
  return { ...SHIPPED_OPTIONS, legalComments: 'none', ...overrides };
}

function dirSize(dir) {
  let size = 0;
  let gz = 0;
  for (const entry of readdirSync(dir)) {
    if (!/\.(m?js|cjs)$/.test(entry)) continue;
    const file = join(dir, entry);
    size += statSync(file).size;
    gz += gzipSync(readFileSync(file)).length;
  }
  return { size, gz };
}

/** Builds every variant; returns [{ ...variant, dir, entry, size, gz, files }]. */
export async function buildVariants(root, outRoot) {
  rmSync(outRoot, { recursive: true, force: true });
  const built = [];
  for (const variant of VARIANTS) {
    const dir = join(outRoot, variant.name.replace(/[^A-Za-z0-9+.-]/g, '_'));
    mkdirSync(dir, { recursive: true });
    let entry = variant.entry ?? 'func.js';
    if (variant.fromDist) {
      copyFileSync(join(root, 'dist/func.js'), join(dir, 'func.js'));
    } else if (variant.wrapper) {
      await build({ ...variantOptions(variant.options), entryPoints: [join(root, 'src/func.ts')], outfile: join(dir, 'func.bundle.js') });
      writeFileSync(
        join(dir, 'func.js'),
        "'use strict';\n// Compile cache first, so that the bundle below is compiled from it.\nrequire('node:module').enableCompileCache?.(require('node:path').join(__dirname, '.cache'));\nrequire('./func.bundle.js');\n",
      );
    } else {
      const options = variantOptions(variant.options);
      const target = options.splitting ? { outdir: dir, entryNames: 'func' } : { outfile: join(dir, entry) };
      await build({ ...options, entryPoints: [join(root, 'src/func.ts')], ...target });
    }
    const files = readdirSync(dir).filter((file) => /\.(m?js|cjs)$/.test(file));
    built.push({ ...variant, functional: variant.functional ?? true, dir, entry, files, ...dirSize(dir) });
  }
  return built;
}

/**
 * Bundles the SDK side of the first event (src/oci/auth.ts and clients.ts,
 * which runtime.ts imports lazily) on its own: plain, with each plugin, and
 * with the shipped options, for the first-event breakdown.
 */
export async function buildSdkProbes(root, outDir) {
  mkdirSync(outDir, { recursive: true });
  const stdin = {
    contents: "export { createAuthProvider } from './src/oci/auth';\nexport { createOciClients } from './src/oci/clients';\n",
    resolveDir: root,
    loader: 'ts',
    sourcefile: 'sdk-probe.ts',
  };
  const probes = [];
  for (const [name, overrides] of [
    ['plain', PLAIN],
    ['stub-polyfills', { ...PLAIN, plugins: [nodePolyfillStubs] }],
    ['lazy-models', { ...PLAIN, plugins: [lazySdkModels] }],
    ['shipped', {}],
  ]) {
    const outfile = join(outDir, `sdk-${name}.js`);
    await build({ ...variantOptions(overrides), stdin, outfile });
    probes.push({ name, file: outfile, size: statSync(outfile).size });
  }
  return probes;
}
export const SDK_PROBE_SCRIPT = `
const { performance } = require('node:perf_hooks');
const [bundle, url, instanceId] = process.argv.slice(1);
(async () => {
  const t0 = performance.now();
  const sdk = require(bundle);
  const t1 = performance.now();
  const provider = await sdk.createAuthProvider({ auth: 'resource_principal' });
  const t2 = performance.now();
  const clients = sdk.createOciClients(provider, { computeEndpoint: url, containerEngineEndpoint: url });
  const t3 = performance.now();
  await clients.compute.getInstance({ instanceId });
  const t4 = performance.now();
  await clients.compute.getInstance({ instanceId });
  const t5 = performance.now();
  process.stdout.write(JSON.stringify({ loadSdkMs: t1 - t0, authProviderMs: t2 - t1, clientsMs: t3 - t2, firstCallMs: t4 - t3, secondCallMs: t5 - t4 }));
})().catch((error) => { process.stderr.write(String(error && error.stack || error)); process.exit(1); });
`;
