// Bundles the two entry points into self-contained files under dist/:
// the runtime image holds dist/ only, with no node_modules beside it.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { readFile, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';

// oci-core (720 models) and oci-containerengine (118) re-export every model
// eagerly from their model index; each export becomes a getter, so only the
// models a call touches are evaluated. Measured in bench/: about -30 ms to
// the first answer. The rewrite depends on the SDK's generated layout, so it
// refuses to build if that changes (the SDK versions are pinned).
const lazySdkModels = {
  name: 'lazy-sdk-models',
  setup(b) {
    const pair = /^const (\w+) = __importStar\(require\("(\.\/[^"]+)"\)\);\nexports\.(\w+) = \1\.(\w+);$/gm;
    b.onLoad({ filter: /[\\/]node_modules[\\/]oci-(core|containerengine)[\\/]lib[\\/]model[\\/]index\.js$/ }, (args) => {
      let count = 0;
      const contents = readFileSync(args.path, 'utf8').replace(pair, (_, _local, path, name, prop) => {
        count += 1;
        return `Object.defineProperty(exports, ${JSON.stringify(name)}, { enumerable: true, configurable: true, get: () => require(${JSON.stringify(path)}).${prop} });`;
      });
      if (count < 100) throw new Error(`lazy-sdk-models: only ${count} exports rewritten in ${args.path}; the SDK layout changed`);
      return { contents, loader: 'js', resolveDir: dirname(args.path) };
    });
  },
};

// Node 20+ has Promise and fetch: the SDK's polyfills would only add
// node-fetch, whatwg-url and tr46 (about 310 KiB) to the bundle.
const stubs = {
  'es6-promise': 'module.exports = { Promise, polyfill() {} };',
  'isomorphic-fetch': 'module.exports = (...args) => fetch(...args);',
  'node-fetch': 'const f = (...args) => fetch(...args); module.exports = f; module.exports.default = f;',
};
const nodePolyfillStubs = {
  name: 'node-polyfill-stubs',
  setup(b) {
    b.onResolve({ filter: /^(es6-promise|isomorphic-fetch|node-fetch)$/ }, (args) => ({ path: args.path, namespace: 'stub' }));
    b.onLoad({ filter: /.*/, namespace: 'stub' }, (args) => ({ contents: stubs[args.path], loader: 'js' }));
  },
};

const { version } = JSON.parse(await readFile('package.json', 'utf8'));
await rm('dist', { recursive: true, force: true });
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: false,
  minify: true,
  legalComments: 'linked',
  logLevel: 'warning',
  define: { 'process.env.OKE_NODEPOOL_TAGGER_VERSION': JSON.stringify(version) },
  plugins: [lazySdkModels, nodePolyfillStubs],
};
const entries = [
  { in: 'src/func.ts', out: 'dist/func.js' },
  { in: 'src/cli.ts', out: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
];
for (const entry of entries) {
  await build({ ...common, entryPoints: [entry.in], outfile: entry.out, ...(entry.banner ? { banner: entry.banner } : {}) });
  const { size } = await stat(entry.out);
  console.log(`${entry.out}: ${(size / 1024).toFixed(0)} KiB`);
}
