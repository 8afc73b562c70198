import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import prettierConfig from 'eslint-config-prettier';

export default tseslint.config(
  { ignores: ['dist/**', 'dist-stack/**', 'node_modules/**', 'coverage/**', '.ci/**', 'bench/tmp/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/ban-ts-comment': [
        'error',
        { 'ts-ignore': true, 'ts-nocheck': true, 'ts-expect-error': 'allow-with-description' },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-restricted-properties': [
        'error',
        { object: 'describe', property: 'only', message: 'Focused tests are not allowed.' },
        { object: 'it', property: 'only', message: 'Focused tests are not allowed.' },
        { object: 'test', property: 'only', message: 'Focused tests are not allowed.' },
        { object: 'describe', property: 'skip', message: 'Skipped tests are not allowed.' },
        { object: 'it', property: 'skip', message: 'Skipped tests are not allowed.' },
        { object: 'test', property: 'skip', message: 'Skipped tests are not allowed.' },
        { object: 'it', property: 'todo', message: 'Placeholder tests are not allowed.' },
        { object: 'test', property: 'todo', message: 'Placeholder tests are not allowed.' },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'fdescribe', message: 'Focused tests are not allowed.' },
        { name: 'fit', message: 'Focused tests are not allowed.' },
        { name: 'xdescribe', message: 'Skipped tests are not allowed.' },
        { name: 'xit', message: 'Skipped tests are not allowed.' },
        { name: 'xtest', message: 'Skipped tests are not allowed.' },
      ],
    },
  },
  {
    // The domain owns its ports: it never sees the SDK, the adapters or the composition roots.
    files: ['src/tagging/**/*.ts', 'src/iam/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['oci-*'],
              message: 'The domain (src/tagging, src/iam) never imports the OCI SDK; add a port in src/tagging/model.ts.',
            },
            { group: ['**/oci', '**/oci/*'], message: 'The domain (src/tagging, src/iam) never imports the adapters in src/oci.' },
            {
              group: ['**/cli', '**/cli/*', '**/local/*', '**/handler', '**/func', '**/runtime'],
              message: 'The domain (src/tagging, src/iam) never imports the entry points.',
            },
          ],
        },
      ],
    },
  },
  {
    // The fake OCI API is a stand-in that checks the SDK; built on the SDK, it would share its assumptions.
    files: ['src/local/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['oci-*'], message: 'src/local is the fake OCI API: it must not import the OCI SDK.' }] },
      ],
    },
  },
  {
    files: ['**/*.mjs'],
    languageOptions: { sourceType: 'module', globals: globals.node },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: globals.node },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  prettierConfig,
);
