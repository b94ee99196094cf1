import { defineConfig } from 'vitest/config';
import shared from '../../vitest.shared.ts';

// Only the PostgreSQL tests (mergeConfig would append to the shared include list, not replace it).
export default defineConfig({
  ...shared,
  test: {
    ...shared.test,
    include: ['test/**/*.pg.test.ts'],
    outputFile: { json: 'test-results/postgres.json' },
  },
});
