import { defineConfig } from 'vitest/config'

// Every test file runs twice: on PostgreSQL with Redis, and on PGlite with the memory cache.
// Files named *.redis.test.ts need a real Redis and run in the first project only.
export default defineConfig({
  test: {
    globalSetup: ['./test/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: process.env.CI === 'true' ? ['default', ['json', { outputFile: '.test-results/vitest.json' }]] : ['default'],
    projects: [
      {
        extends: true,
        test: {
          name: 'postgres+redis',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          env: { ECAR_TEST_DB: 'postgres', ECAR_TEST_CACHE: 'redis' },
        },
      },
      {
        extends: true,
        test: {
          name: 'pglite+memory',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: ['**/*.redis.test.ts', '**/*.e2e.test.ts', '**/node_modules/**'],
          env: { ECAR_TEST_DB: 'pglite', ECAR_TEST_CACHE: 'memory' },
        },
      },
    ],
  },
})
