import { defineConfig } from 'vitest/config';

// Three projects: pure unit tests, integration (services, HTTP, CLI against a real PostgreSQL) and the
// browser tests in Chromium. `scripts/test.mjs` runs them all, then the integration project again on the
// PostgreSQL named by CHARTROOM_TEST_DATABASE_URL when it is set.
export default defineConfig({
  test: {
    pool: 'forks',
    maxWorkers: 2,
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'test/unit/**/*.test.ts', 'web/src/**/*.test.ts'],
          exclude: ['src/**/*.int.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['src/**/*.int.test.ts', 'test/e2e/**/*.test.ts'],
          globalSetup: ['test/support/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          environment: 'node',
        },
      },
      {
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          globalSetup: ['test/support/global-setup.ts'],
          testTimeout: 90_000,
          hookTimeout: 120_000,
          environment: 'node',
          fileParallelism: false,
        },
      },
    ],
  },
});
