import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared.ts';

// The design exercise is held to branch coverage ≥ 95% (v8 coverage): its tests must reach every decision it makes.
export default mergeConfig(
  shared,
  defineConfig({
    test: {
      coverage: {
        provider: 'v8',
        include: ['src/**/*.ts'],
        reporter: ['text-summary', 'json-summary'],
        thresholds: { branches: 95 },
      },
    },
  }),
);
