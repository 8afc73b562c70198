/** @type {import('jest').Config} */
module.exports = {
  // The node environment with the OCI SDK's retry warnings shown only for a failing test.
  testEnvironment: '<rootDir>/test/setup/quiet-sdk-environment.js',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
  },
  testTimeout: 30000,
};
