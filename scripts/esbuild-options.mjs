// The esbuild options of the production bundles, in one place: scripts/bundle.mjs
// builds dist/ with them, and bench/lib/variants.mjs builds its candidate
// bundles as these options plus the change each candidate names.
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

// oci-core (720 models) and oci-containerengine (118) re-export every model
// eagerly from their model index; each export becomes a getter, so only the
// models a call touches are evaluated. Measured in bench/: about -30 ms to
// the first answer. The rewrite depends on the SDK's generated layout, so it
// refuses to build if that changes (the SDK versions are pinned).
/** esbuild plugin: the SDK's model index files export their models through lazy getters. */
export const lazySdkModels = {
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
// node-fetch, whatwg-url and tr46 (about 310 KiB) to the bundle. Each stub
// keeps what oci-common uses of the real module: http.js calls
// promise.polyfill(), and the instance-principal certificate supplier calls
// node_fetch_1.default(url, init).
const stubs = {
  'es6-promise': 'module.exports = { Promise, polyfill() {} };',
  'isomorphic-fetch': 'module.exports = (...args) => fetch(...args);',
  'node-fetch': 'const f = (...args) => fetch(...args); module.exports = f; module.exports.default = f;',
};
/** esbuild plugin: the SDK's Promise and fetch polyfills resolve to stubs over Node's own. */
export const nodePolyfillStubs = {
  name: 'node-polyfill-stubs',
  setup(b) {
    b.onResolve({ filter: /^(es6-promise|isomorphic-fetch|node-fetch)$/ }, (args) => ({ path: args.path, namespace: 'stub' }));
    b.onLoad({ filter: /.*/, namespace: 'stub' }, (args) => ({ contents: stubs[args.path], loader: 'js' }));
  },
};

/** What every bundle of this project targets: one CommonJS file for Node 20. */
export const NODE_BUNDLE = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
};

/** The options `npm run build` bundles each entry point of dist/ with. */
export const SHIPPED_OPTIONS = {
  ...NODE_BUNDLE,
  sourcemap: false,
  minify: true,
  legalComments: 'linked',
  logLevel: 'warning',
  define: { 'process.env.OKE_NODEPOOL_TAGGER_VERSION': JSON.stringify(version) },
  plugins: [lazySdkModels, nodePolyfillStubs],
};
