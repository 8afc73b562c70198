// Candidate bundles for the cold-start investigation, built from src/func.ts
// with esbuild into bench/tmp/variants/<name>/. Each starts from the options
// of scripts/bundle.mjs (copied here: keep them in sync) and changes one thing.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, rmSync, statSync, writeFileSync, readdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The options scripts/bundle.mjs uses for dist/func.js. */
export const SHIPPED_OPTIONS = {
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
};

/** Modules replaced by stubs; each stub keeps what oci-common uses of the real one. */
const POLYFILL_STUBS = {
  // oci-common/lib/http.js calls promise.polyfill(); Node's Promise is complete.
  'es6-promise': 'module.exports = { Promise, polyfill() {} };',
  // Node >= 18 has a global fetch, so isomorphic-fetch only drags in node-fetch, whatwg-url and tr46.
  'isomorphic-fetch': 'module.exports = (...args) => fetch(...args);',
  // Also used by the instance-principal certificate supplier (node_fetch_1.default(url, init)): Node's fetch serves it.
  'node-fetch': 'const f = (...args) => fetch(...args); module.exports = f; module.exports.default = f;',
};
const SDK_STUBS = {
  'oci-common': 'module.exports = {};',
  'oci-core': 'module.exports = {};',
  'oci-containerengine': 'module.exports = {};',
};

function stubPlugin(stubs) {
  const names = Object.keys(stubs).map((name) => name.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&'));
  return {
    name: 'bench-stubs',
    setup(builder) {
      builder.onResolve({ filter: new RegExp(`^(${names.join('|')})$`) }, (args) => ({ path: args.path, namespace: 'bench-stub' }));
      builder.onLoad({ filter: /.*/, namespace: 'bench-stub' }, (args) => ({ contents: stubs[args.path], loader: 'js' }));
    },
  };
}

/**
 * Makes the generated `lib/model/index.js` of oci-core (720 models) and
 * oci-containerengine (118) lazy: each `exports.X = require('./x').X` pair
 * becomes a getter, so only the models a call touches are evaluated.
 */
function lazyModelsPlugin() {
  const pair = /^const (\w+) = __importStar\(require\("(\.\/[^"]+)"\)\);\nexports\.(\w+) = \1\.(\w+);$/gm;
  return {
    name: 'bench-lazy-models',
    setup(builder) {
      builder.onLoad({ filter: /[\\/]node_modules[\\/]oci-(core|containerengine)[\\/]lib[\\/]model[\\/]index\.js$/ }, (args) => {
        const source = readFileSync(args.path, 'utf8');
        let count = 0;
        const contents = source.replace(pair, (_, _local, path, name, property) => {
          count += 1;
          return `Object.defineProperty(exports, ${JSON.stringify(name)}, { enumerable: true, configurable: true, get: () => require(${JSON.stringify(path)}).${property} });`;
        });
        if (count < 100) throw new Error(`lazy models: only ${count} exports rewritten in ${args.path}; the SDK's layout changed`);
        return { contents, loader: 'js', resolveDir: dirname(args.path) };
      });
    },
  };
}

const ESM_BANNER =
  "import { createRequire as __benchCreateRequire } from 'node:module'; const require = __benchCreateRequire(import.meta.url);";

/**
 * The candidates. `functional: false` marks lower bounds that cannot answer an
 * event (their first event is not checked).
 */
export const VARIANTS = [
  { name: 'shipped', note: 'dist/func.js as npm run build makes it', fromDist: true },
  { name: 'no-minify', note: 'minify: false', options: { minify: false } },
  { name: 'no-keepNames', note: 'keepNames: false', options: { keepNames: false } },
  { name: 'stub-polyfills', note: 'alias es6-promise, isomorphic-fetch, node-fetch to stubs', plugins: [stubPlugin(POLYFILL_STUBS)] },
  {
    name: 'esm-split',
    note: 'format esm + splitting: the SDK is a lazy chunk',
    options: { format: 'esm', splitting: true, outExtension: { '.js': '.mjs' }, banner: { js: ESM_BANNER } },
    entry: 'func.mjs',
  },
  {
    name: 'stubs+noKeepNames',
    note: 'stub-polyfills + keepNames: false',
    options: { keepNames: false },
    plugins: [stubPlugin(POLYFILL_STUBS)],
  },
  {
    name: 'combined',
    note: 'esm-split + stub-polyfills + keepNames: false',
    options: { keepNames: false, format: 'esm', splitting: true, outExtension: { '.js': '.mjs' }, banner: { js: ESM_BANNER } },
    plugins: [stubPlugin(POLYFILL_STUBS)],
    entry: 'func.mjs',
  },
  { name: 'lazy-models', note: 'oci-core/containerengine model index as lazy getters', plugins: [lazyModelsPlugin()] },
  {
    name: 'lazy+stubs+noKN',
    note: 'lazy-models + stub-polyfills + keepNames: false',
    options: { keepNames: false },
    plugins: [lazyModelsPlugin(), stubPlugin(POLYFILL_STUBS)],
  },
  {
    name: 'lazy+combined',
    note: 'lazy-models + combined (esm-split, stubs, keepNames: false)',
    options: { keepNames: false, format: 'esm', splitting: true, outExtension: { '.js': '.mjs' }, banner: { js: ESM_BANNER } },
    plugins: [lazyModelsPlugin(), stubPlugin(POLYFILL_STUBS)],
    entry: 'func.mjs',
  },
  {
    name: 'banner-enableCC',
    note: 'module.enableCompileCache() at the top of the bundle',
    options: { banner: { js: "require('node:module').enableCompileCache?.(require('node:path').join(__dirname, '.cache'));" } },
  },
  { name: 'wrapper-enableCC', note: 'tiny func.js: enableCompileCache(), then require(func.bundle.js)', wrapper: true },
  { name: 'sdk-free (bound)', note: 'oci-* stubbed: lower bound, cannot answer', plugins: [stubPlugin(SDK_STUBS)], functional: false },
];

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
      await build({
        ...SHIPPED_OPTIONS,
        entryPoints: [join(root, 'src/func.ts')],
        outfile: join(dir, 'func.bundle.js'),
        legalComments: 'none',
      });
      writeFileSync(
        join(dir, 'func.js'),
        "'use strict';\n// Compile cache first, so that the bundle below is compiled from it.\nrequire('node:module').enableCompileCache?.(require('node:path').join(__dirname, '.cache'));\nrequire('./func.bundle.js');\n",
      );
    } else {
      const options = { ...SHIPPED_OPTIONS, legalComments: 'none', ...(variant.options ?? {}), plugins: variant.plugins ?? [] };
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
 * which runtime.ts imports lazily) on its own, as the shipped bundle holds
 * it, plus a copy with the polyfill stubs, for the first-event breakdown.
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
  for (const [name, plugins] of [
    ['shipped', []],
    ['stub-polyfills', [stubPlugin(POLYFILL_STUBS)]],
    ['lazy-models', [lazyModelsPlugin()]],
    ['lazy+stubs', [lazyModelsPlugin(), stubPlugin(POLYFILL_STUBS)]],
  ]) {
    const outfile = join(outDir, `sdk-${name}.js`);
    await build({ ...SHIPPED_OPTIONS, legalComments: 'none', metafile: false, stdin, outfile, plugins });
    probes.push({ name, file: outfile, size: statSync(outfile).size });
  }
  return probes;
}

/** Child-process script: times each step of what our first event does before and during its first API call. */
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
