import { readFileSync } from 'node:fs';

const swc = JSON.parse(readFileSync(new URL('./.swcrc.jest.json', import.meta.url), 'utf8'));

const shared = {
  rootDir: '.',
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { ...swc, swcrc: false }] },
  moduleNameMapper: {
    '^#lx/matching/rules$': '<rootDir>/libs/matching/src/rules.ts',
    '^#lx/(.*)$': '<rootDir>/libs/$1/src/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '<rootDir>/\\.stryker-tmp/'],
  modulePathIgnorePatterns: ['<rootDir>/\\.stryker-tmp/'],
  setupFiles: ['reflect-metadata'],
};

/** Test tiers by file suffix: unit (pure, no I/O), int (real PostgreSQL/Redis), e2e (the three apps over HTTP). */
export default {
  // Per-project testTimeout is not honoured by jest-circus; the int and e2e tiers need the longer one.
  testTimeout: 120000,
  // npm test's two lanes each run a share of the integration and end-to-end files (--shard).
  testSequencer: '<rootDir>/tests/support/lane-sequencer.mjs',
  // Every Redis key of the run starts with its id; the teardown removes them (tests/support).
  globalSetup: '<rootDir>/tests/support/jest-global-setup.mjs',
  globalTeardown: '<rootDir>/tests/support/jest-global-teardown.mjs',
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs}/**/*.unit.spec.ts'] },
    { ...shared, displayName: 'int', testMatch: ['<rootDir>/{apps,libs}/**/*.int.spec.ts'] },
    { ...shared, displayName: 'e2e', testMatch: ['<rootDir>/tests/**/*.e2e.spec.ts'] },
  ],
};
