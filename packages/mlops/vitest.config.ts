import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared.ts';

// The PostgreSQL tests need a server: `test:postgres` starts one and runs them with vitest.postgres.config.ts.
export default mergeConfig(
  shared,
  defineConfig({ test: { exclude: ['**/node_modules/**', '**/*.pg.test.ts'] } }),
);
