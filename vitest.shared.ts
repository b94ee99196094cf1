import { defineConfig } from 'vitest/config';

// One test setup for every workspace: resolve sibling packages to their TypeScript sources
// and write a JSON report that scripts/run-tests.mjs sums into the repo-wide pass/fail line.
export default defineConfig({
  resolve: { conditions: ['@mle/source'] },
  ssr: { resolve: { conditions: ['@mle/source'] } },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest.json' },
    // Hang guards, not speed limits: a 2-core machine under load runs a test several times slower than idle, and
    // no test asserts on wall-clock time (timing lives in the benches).
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
