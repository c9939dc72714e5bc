import { defineConfig } from 'vitest/config';

// One run covers every package. Integration tests pick their database from TEST_DATABASE_URL
// (PostgreSQL) or fall back to in-memory PGlite; scripts/test.mjs runs the suite both ways.
export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts', 'apps/*/test/**/*.test.ts', 'apps/*/src/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'apps/web/**'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
