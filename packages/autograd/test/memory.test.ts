import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

it('ten epochs of training keep the heap flat: every step’s graph is freed', () => {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const child = spawnSync(
    'node',
    ['--expose-gc', '--import', 'tsx', '--conditions=@mle/source', 'test/fixtures/train-memory.ts'],
    { cwd: root, encoding: 'utf8', timeout: 120_000 },
  );
  expect(child.stderr).toBe('');
  const { warm, end, steps } = JSON.parse(child.stdout);
  expect(steps).toBe(80);
  // A leaked graph per step (activations of a 16×1×12×12 batch, ~100 KiB) would grow the heap by > 8 MiB.
  expect(end - warm).toBeLessThan(4);
});
