import { gelu, matmul, Parameter, Tensor, transpose } from '@mle/autograd';
import { describe, expect, it } from 'vitest';
import { MegatronMlp, runThreadGroup } from '../src/index.js';
import { blockInputs } from './fixtures/megatron-inputs.js';

type RankOutput = {
  hidden: [number, number];
  y: number[];
  dx: number[];
  w1: number[];
  b1: number[];
  w2: number[];
  b2: number[];
};

/** The unsplit block, y = GELU(x·W1ᵀ + b1)·W2ᵀ + b2, its output and gradients by autograd. */
function unsplit(seed: number) {
  const { weights, x, dy } = blockInputs(seed);
  const [w1, b1, w2, b2] = [weights.w1, weights.b1, weights.w2, weights.b2].map(
    (v) => new Parameter(v.clone()),
  );
  const input = new Tensor(x, { requiresGrad: true });
  const y = matmul(gelu(matmul(input, transpose(w1!)).add(b1!)), transpose(w2!)).add(b2!);
  y.backward(dy);
  return {
    y: Array.from(y.value.toTypedArray()),
    dx: Array.from(input.grad!.toTypedArray()),
    w1: w1!,
    b1: b1!,
    w2: w2!,
    b2: b2!,
  };
}

const expectClose = (actual: number[], expected: number[], what: string) => {
  expect(actual.length, what).toBe(expected.length);
  const worst = actual.reduce(
    (m, v, i) => Math.max(m, Math.abs(v - expected[i]!) / (1 + Math.abs(expected[i]!))),
    0,
  );
  expect(worst, what).toBeLessThan(1e-5);
};

describe('tensor parallelism: the MLP block split as Megatron-LM splits it', () => {
  it.each([2, 4])(
    '%i ranks: outputs, the input gradient and every weight-gradient slice equal the unsplit block',
    async (size) => {
      const seed = 7;
      const outputs = await runThreadGroup<RankOutput>(
        new URL('./workers/megatron.ts', import.meta.url),
        size,
        {
          capacity: 5 * 8,
          workerData: { seed },
        },
      );
      const full = unsplit(seed);
      const column = (t: Tensor, start: number, stop: number) =>
        Array.from(t.grad!.slice(null, { start, stop }).toTypedArray());
      for (const out of outputs) {
        const [start, stop] = out.hidden;
        expect(stop - start).toBe(32 / size);
        expectClose(out.y, full.y, 'y');
        expectClose(out.dx, full.dx, '∂L/∂x');
        expectClose(out.w1, Array.from(full.w1.grad!.slice({ start, stop }, null).toTypedArray()), 'W1 rows');
        expectClose(out.b1, Array.from(full.b1.grad!.slice({ start, stop }).toTypedArray()), 'b1 slice');
        expectClose(out.w2, column(full.w2, start, stop), 'W2 columns');
        expectClose(out.b2, Array.from(full.b2.grad!.toTypedArray()), 'b2 (replicated)');
      }
      // The slices tile the hidden units exactly once.
      expect(outputs.map((o) => o.hidden)).toEqual(
        Array.from({ length: size }, (_, r) => [(r * 32) / size, ((r + 1) * 32) / size]),
      );
    },
  );

  it('the check can fail: without the all-reduce, one rank’s partial output is not the block’s', async () => {
    const { weights, x } = blockInputs(7);
    const block = new MegatronMlp(weights, 0, 2);
    const y = await block.forward(x, async () => {});
    const worst = Array.from(y.toTypedArray()).reduce(
      (m, v, i) => Math.max(m, Math.abs(v - unsplit(7).y[i]!)),
      0,
    );
    expect(worst).toBeGreaterThan(1e-2);
  });

  it('refuses a hidden width that does not divide among the ranks', () => {
    expect(() => new MegatronMlp(blockInputs(1).weights, 0, 3)).toThrow(
      'the hidden width (32) must divide evenly among 3 tensor-parallel ranks',
    );
  });
});
