import { fileURLToPath } from 'node:url';
import { runGcScript } from '@mle/report';
import { describe, expect, it } from 'vitest';

interface Report {
  before: { tensors?: number; rss: number };
  after: { tensors?: number; rss: number };
  failures?: number;
  released?: number;
}

/** Runs test/fixtures/runtime-memory.ts in its own process (where a GC can be forced) and parses its report. */
const measure = (...args: string[]) =>
  runGcScript<Report>('test/fixtures/runtime-memory.ts', args, fileURLToPath(new URL('..', import.meta.url)));

describe('native memory is released', () => {
  it('tfjs: 1,000 failing and 1,000 succeeding inferences leave no tensor behind and RSS flat', () => {
    const { before, after, failures, released } = measure('tfjs');
    expect(failures).toBe(1000);
    // Exact: one tensor kept per failed call (its input) would be +1,000.
    expect(after.tensors).toBe(before.tensors);
    expect(released).toBe(0);
    // A kept 64×256 input per failed call is 64 MiB over the run (measured: +64 MiB before the fix, +13 after).
    expect(after.rss - before.rss).toBeLessThan(32);
  });

  it('onnxruntime: 200 sessions loaded and released keep RSS flat; left loaded, they do not', () => {
    const released = measure('onnx');
    // Each session holds its own copy of a 4 MiB weight: 200 leaked sessions are ≥ 800 MiB.
    expect(released.after.rss - released.before.rss).toBeLessThan(64);
    const leaked = measure('onnx', '--no-release');
    expect(leaked.after.rss - leaked.before.rss).toBeGreaterThan(400);
  });

  it('generation: 10,000 short generations keep RSS flat; keeping a cache-sized buffer per generation does not', () => {
    const generations = (...args: string[]) =>
      runGcScript<Report>(
        'test/fixtures/generation-memory.ts',
        args,
        fileURLToPath(new URL('..', import.meta.url)),
      );
    const flat = generations();
    expect(flat.after.rss - flat.before.rss).toBeLessThan(32);
    // 9,000 generations × 64 KiB kept: 562 MiB.
    const leaked = generations('--keep');
    expect(leaked.after.rss - leaked.before.rss).toBeGreaterThan(256);
  });
});
