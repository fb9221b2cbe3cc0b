import { defineConfig } from 'vitest/config';

// Integration tests (*.int.test.ts) always run on the embedded engine (PGlite), and a second
// time on PostgreSQL when TEST_DATABASE_URL is set. The engine reaches the test harness
// through SWITCHBOARD_TEST_ENGINE.
const withPostgres = Boolean(process.env['TEST_DATABASE_URL']);

const integration = (engine: 'pglite' | 'postgres') => ({
  extends: true as const,
  test: {
    name: `server-int-${engine}`,
    root: 'apps/server',
    include: ['src/**/*.int.test.ts', 'test/**/*.int.test.ts'],
    env: { SWITCHBOARD_TEST_ENGINE: engine },
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});

export default defineConfig({
  test: {
    reporters: ['default', './scripts/summary-reporter.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'server-unit',
          root: 'apps/server',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: ['**/*.int.test.ts'],
        },
      },
      integration('pglite'),
      ...(withPostgres ? [integration('postgres')] : []),
      // The benchmark runner's pure parts (aggregation, targets, arguments, summary), not the benchmarks.
      {
        extends: true,
        test: { name: 'bench', root: 'bench', include: ['*.test.ts'] },
      },
      'apps/wa-sim',
      'apps/web',
      'packages/contracts',
      'e2e',
    ],
  },
});
