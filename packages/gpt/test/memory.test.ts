import { fileURLToPath } from 'node:url';
import { runGcScript } from '@mle/report';
import { expect, it } from 'vitest';

it('decoding with the KV cache, beam search and training steps keep the heap flat over 60 rounds', () => {
  const { warm, end, rounds } = runGcScript<{ warm: number; end: number; rounds: number }>(
    'test/fixtures/loop-memory.ts',
    [],
    fileURLToPath(new URL('..', import.meta.url)),
  );
  expect(rounds).toBe(60);
  // A cache kept per call (2 layers × 2 × [1, 2, 32, 16] floats, 16 KiB) or a step's graph (~1 MiB of activations)
  // leaked per round would grow the heap by 1–60 MiB.
  expect(end - warm).toBeLessThan(2);
});
