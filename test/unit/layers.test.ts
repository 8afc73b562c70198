/**
 * The layers are enforced by lint, not by comments: the domain never sees the
 * SDK or the adapters, and the fake OCI API never uses the SDK it stands in for.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '../helpers/run-cli';

/** Lints `code` as if it were the file at `path`; returns the rule ids that fired. */
function lintAs(path: string, code: string): string[] {
  const eslint = join(REPO_ROOT, 'node_modules', '.bin', 'eslint');
  const run = spawnSync(eslint, ['--format', 'json', '--stdin', '--stdin-filename', path], {
    cwd: REPO_ROOT,
    input: code,
    encoding: 'utf8',
  });
  const [result] = JSON.parse(run.stdout) as { messages: { ruleId: string | null }[] }[];
  return (result?.messages ?? []).map((message) => message.ruleId ?? 'parse-error');
}

describe('layer rules', () => {
  it.each([
    ['src/tagging/example.ts', "import { ComputeClient } from 'oci-core';\nexport const x = ComputeClient;\n"],
    ['src/tagging/example.ts', "import { callWithRetry } from '../oci/retry';\nexport const x = callWithRetry;\n"],
    ['src/tagging/example.ts', "import { createHandler } from '../handler';\nexport const x = createHandler;\n"],
    ['src/local/example.ts', "import { Region } from 'oci-common';\nexport const x = Region;\n"],
    ['src/iam/example.ts', "import { IdentityClient } from 'oci-identity';\nexport const x = IdentityClient;\n"],
  ])('refuses %s importing what its layer may not', (path, code) => {
    expect(lintAs(path, code)).toContain('no-restricted-imports');
  });

  it('accepts the domain importing its own modules and the shared errors', () => {
    expect(
      lintAs(
        'src/tagging/example.ts',
        "import { TaggerError } from '../errors';\nimport { readTag } from './tags';\nexport const x = [TaggerError, readTag];\n",
      ),
    ).toEqual([]);
  });
});
