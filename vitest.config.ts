import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Each file opens its own database; PGlite start-up and migrations take a few seconds on 2 cores.
    hookTimeout: 60_000,
    testTimeout: 30_000,
    pool: 'forks',
  },
});
