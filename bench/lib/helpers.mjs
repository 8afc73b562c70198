// Compiles the project's TypeScript test helpers (fake OCI API, world builder,
// resource-principal credentials) and the event types into one CommonJS
// file under bench/tmp and loads it, so the bench reuses them instead of
// keeping copies in sync.
import { build } from 'esbuild';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { NODE_BUNDLE } from '../../scripts/esbuild-options.mjs';

/** Bundles the helpers into `<tmpDir>/helpers.cjs` and returns their exports. */
export async function loadHelpers(root, tmpDir) {
  mkdirSync(tmpDir, { recursive: true });
  const outfile = join(tmpDir, 'helpers.cjs');
  await build({
    stdin: {
      contents: [
        "export { FakeOciApi } from './src/local/fake-oci-api';",
        "export { buildWorld, fakeOcid, TEST_COMPARTMENT_ID, NODEPOOL_TAG_NAMESPACE, NODEPOOL_TAG_KEY } from './test/helpers/worlds';",
        "export { createTestCredentials } from './test/helpers/oci-credentials';",
        "export { LAUNCH_EVENT_TYPE, UPDATE_INSTANCE_EVENT_TYPE, UPDATE_NODE_POOL_EVENT_TYPE } from './src/event/event-types';",
      ].join('\n'),
      resolveDir: root,
      loader: 'ts',
      sourcefile: 'bench-helpers.ts',
    },
    ...NODE_BUNDLE,
    outfile,
    logLevel: 'warning',
  });
  return createRequire(import.meta.url)(outfile);
}
