import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Property tests run many cases; keep the per-test limit generous but finite.
    testTimeout: 30_000,
  },
});
