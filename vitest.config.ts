import { defineConfig } from 'vitest/config'

// Every test file runs twice: on PostgreSQL with Redis, and on PGlite with the memory cache.
// Files named *.redis.test.ts need a real Redis and run on PostgreSQL only, as do *.e2e.test.ts
// (real server processes).
const ALL = ['src/**/*.test.ts', 'test/**/*.test.ts']
const POSTGRES_ONLY = ['**/*.redis.test.ts', '**/*.e2e.test.ts']
// Files that time what they measure (faults under load, real server processes, the CLI's children,
// a statement timeout): they run alone, one file at a time, after the others.
const ALONE = ['**/*.e2e.test.ts', 'test/reliability/**/*.test.ts', 'test/cli/**/*.test.ts', '**/redis-faults*.test.ts', 'test/platform/statement-timeout.test.ts']
const POSTGRES = { ECAR_TEST_DB: 'postgres', ECAR_TEST_CACHE: 'redis' }
const PGLITE = { ECAR_TEST_DB: 'pglite', ECAR_TEST_CACHE: 'memory' }

export default defineConfig({
  test: {
    globalSetup: ['./test/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Each file builds its own app on its own database and cache prefix, and no test mocks a module or
    // stubs a global, so a worker keeps the module graph from one file to the next: importing the app
    // anew for every file took more time than most files' tests (decision 012).
    isolate: false,
    reporters: process.env.CI === 'true' ? ['default', ['json', { outputFile: '.test-results/vitest.json' }]] : ['default'],
    projects: [
      // Two files at a time: most of a test waits on PostgreSQL or Redis, and one worker (Vitest's default
      // on two cores) left the second core idle.
      { extends: true, test: { name: 'postgres+redis', include: ALL, exclude: ALONE, env: POSTGRES, maxWorkers: 2 } },
      { extends: true, test: { name: 'pglite+memory', include: ALL, exclude: [...POSTGRES_ONLY, ...ALONE], env: PGLITE, maxWorkers: 2 } },
      { extends: true, test: { name: 'postgres+redis/alone', include: ALONE, env: POSTGRES, maxWorkers: 1, sequence: { groupOrder: 1 } } },
      { extends: true, test: { name: 'pglite+memory/alone', include: ALONE, exclude: POSTGRES_ONLY, env: PGLITE, maxWorkers: 1, sequence: { groupOrder: 1 } } },
    ],
  },
})
