import { fileURLToPath } from 'node:url';
import { runGcScript } from '@mle/report';
import { expect, it } from 'vitest';

/** Runs test/fixtures/session-memory.ts in its own process (where a GC can be forced) and parses its report. */
const measure = (...args: string[]) =>
  runGcScript<{ before: number; after: number; kept: number }>(
    'test/fixtures/session-memory.ts',
    args,
    fileURLToPath(new URL('..', import.meta.url)),
  );

it('200 OnnxSessions created, run and released keep RSS flat; 60 left loaded do not', () => {
  const released = measure();
  // Measured here: +13 MiB over 200 released sessions, +580 MiB over 200 kept (≈ 2.6 MiB each).
  expect(released.kept).toBe(0);
  expect(released.after - released.before).toBeLessThan(48);
  const leaked = measure('--no-release', '60');
  expect(leaked.kept).toBe(80);
  expect(leaked.after - leaked.before).toBeGreaterThan(96);
});
