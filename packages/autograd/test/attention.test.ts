import * as T from '@mle/tensor';
import { describe, expect, it } from 'vitest';
import {
  add,
  div,
  gradcheck,
  layerNorm,
  manualSeed,
  maskedFill,
  matmul,
  mean,
  mul,
  scaledDotProductAttention,
  softmax,
  sqrt,
  sub,
  type Tensor,
  tensor,
  transpose,
} from '../src/index.js';

const rng = new T.Rng(7);
const leaf = (shape: number[]) => tensor(rng.normal(shape, 0, 1, 'float64'), { requiresGrad: true });
const constant = (shape: number[]) => tensor(rng.normal(shape, 0, 1, 'float64'));

/** Layer norm composed from the elementary ops, each with its own tested gradient. */
function composedLayerNorm(x: Tensor, w: Tensor | null, b: Tensor | null, eps: number): Tensor {
  const centred = sub(x, mean(x, { axis: -1, keepdims: true }));
  const variance = mean(mul(centred, centred), { axis: -1, keepdims: true });
  const normed = div(centred, sqrt(add(variance, eps)));
  const scaled = w ? mul(normed, w) : normed;
  return b ? add(scaled, b) : scaled;
}

/** Attention as the paper writes it: scores, mask (−∞), softmax, weighted sum. */
function composedAttention(q: Tensor, k: Tensor, v: Tensor, causal: boolean, bias?: T.NDArray): Tensor {
  const [Tq, d] = q.shape.slice(-2) as [number, number];
  const Tk = k.shape.at(-2)!;
  const rank = q.shape.length;
  let scores = mul(
    matmul(q, transpose(k, ...q.shape.map((_, i) => i).slice(0, -2), rank - 1, rank - 2)),
    1 / Math.sqrt(d),
  );
  if (bias) scores = add(scores, tensor(bias));
  if (causal) {
    const future = T.fromArray(
      Array.from({ length: Tq * Tk }, (_, n) => Number(n % Tk > Math.floor(n / Tk) + Tk - Tq)),
      [Tq, Tk],
      'int32',
    ).astype('bool');
    scores = maskedFill(scores, future, Number.NEGATIVE_INFINITY);
  }
  return matmul(softmax(scores, -1), v);
}

const maxDifference = (a: Tensor, b: Tensor) => {
  const x = a.value.toTypedArray();
  const y = b.value.toTypedArray();
  return Math.max(...Array.from(x, (v, i) => Math.abs(v - y[i]!)));
};

describe('layerNorm (fused)', () => {
  it('equals layer norm composed from elementary ops, with and without the affine parameters', () => {
    const x = constant([3, 5, 8]);
    const w = constant([8]);
    const b = constant([8]);
    expect(maxDifference(layerNorm(x, w, b), composedLayerNorm(x, w, b, 1e-5))).toBeLessThan(1e-12);
    expect(
      maxDifference(layerNorm(x, null, null, 1e-3), composedLayerNorm(x, null, null, 1e-3)),
    ).toBeLessThan(1e-12);
  });

  it('passes gradcheck for the input, the scale and the shift', () => {
    const x = leaf([2, 3, 6]);
    const w = leaf([6]);
    const b = leaf([6]);
    const probe = constant([2, 3, 6]);
    const result = gradcheck(
      (xi, wi, bi) => mul(layerNorm(xi!, wi!, bi!), tensor(probe.value)).sum(),
      [x, w, b],
    );
    expect(result.maxRelativeError).toBeLessThan(1e-7);
    const noAffine = gradcheck((xi) => mul(layerNorm(xi!, null, null), tensor(probe.value)).sum(), [x]);
    expect(noAffine.maxRelativeError).toBeLessThan(1e-7);
  });

  it('names a parameter of the wrong size', () => {
    expect(() => layerNorm(constant([2, 4]), constant([5]), null)).toThrow(
      'layerNorm: weight has shape [5], expected [4] for input [2,4]',
    );
    expect(() => layerNorm(constant([2, 4]), null, null, 0)).toThrow('eps must be positive');
  });
});

describe('scaledDotProductAttention', () => {
  it('equals the composed attention: causal, causal with cached keys (Tq < Tk) and a bias, and unmasked', () => {
    const q = constant([2, 3, 5, 4]);
    const k = constant([2, 3, 5, 4]);
    const v = constant([2, 3, 5, 6]);
    expect(
      maxDifference(scaledDotProductAttention(q, k, v, { causal: true }), composedAttention(q, k, v, true)),
    ).toBeLessThan(1e-12);
    expect(maxDifference(scaledDotProductAttention(q, k, v), composedAttention(q, k, v, false))).toBeLessThan(
      1e-12,
    );
    const q2 = constant([2, 3, 2, 4]);
    const bias = rng.normal([3, 2, 5], 0, 1, 'float64');
    expect(
      maxDifference(
        scaledDotProductAttention(q2, k, v, { causal: true, bias }),
        composedAttention(q2, k, v, true, bias),
      ),
    ).toBeLessThan(1e-12);
  });

  it('gives no weight to a future key: changing it leaves earlier outputs unchanged', () => {
    const q = constant([1, 1, 4, 3]);
    const k = constant([1, 1, 4, 3]);
    const v = constant([1, 1, 4, 3]);
    const before = scaledDotProductAttention(q, k, v, { causal: true }).value;
    v.value.slice(0, 0, 3).assign(100);
    k.value.slice(0, 0, 3).assign(-100);
    const after = scaledDotProductAttention(q, k, v, { causal: true }).value;
    expect(Array.from(after.slice(0, 0, { stop: 3 }).toTypedArray())).toEqual(
      Array.from(before.slice(0, 0, { stop: 3 }).toTypedArray()),
    );
    expect(Array.from(after.slice(0, 0, 3).toTypedArray())).not.toEqual(
      Array.from(before.slice(0, 0, 3).toTypedArray()),
    );
  });

  it('passes gradcheck for q, k and v, with a causal mask, a bias and dropout (the same mask on every call)', () => {
    const q = leaf([2, 2, 3, 4]);
    const k = leaf([2, 2, 4, 4]);
    const v = leaf([2, 2, 4, 3]);
    const bias = rng.normal([2, 3, 4], 0, 1, 'float64');
    const probe = constant([2, 2, 3, 3]);
    const loss = (dropout: number) => (qi: Tensor, ki: Tensor, vi: Tensor) => {
      manualSeed(11);
      return mul(
        scaledDotProductAttention(qi, ki, vi, { causal: true, bias, dropout }),
        tensor(probe.value),
      ).sum();
    };
    expect(gradcheck(loss(0), [q, k, v]).maxRelativeError).toBeLessThan(1e-7);
    expect(gradcheck(loss(0.3), [q, k, v]).maxRelativeError).toBeLessThan(1e-7);
  });

  it('dropout zeroes weights and rescales the rest, so its output differs from evaluation only by the mask', () => {
    manualSeed(3);
    const q = constant([1, 1, 6, 4]);
    const v = tensor(T.ones([1, 1, 6, 1], 'float64'));
    // With v all ones each output is the sum of the kept weights over 1 − p: 1 in evaluation, anything with dropout.
    const evaluation = scaledDotProductAttention(q, q, v, { causal: true }).value.toTypedArray();
    expect(Array.from(evaluation, (x) => Number(x.toFixed(12)))).toEqual([1, 1, 1, 1, 1, 1]);
    const training = scaledDotProductAttention(q, q, v, { causal: true, dropout: 0.5 }).value.toTypedArray();
    expect(training.some((x) => Math.abs(x - 1) > 1e-6)).toBe(true);
  });

  it('refuses shapes and options it cannot honour, naming them', () => {
    const q = constant([1, 2, 4]);
    expect(() => scaledDotProductAttention(q, constant([1, 2, 3]), q)).toThrow('expected q [..., Tq, d]');
    expect(() =>
      scaledDotProductAttention(constant([1, 4, 4]), constant([1, 2, 4]), constant([1, 2, 4]), {
        causal: true,
      }),
    ).toThrow('a causal mask needs at least as many keys as queries (Tq 4, Tk 2)');
    expect(() => scaledDotProductAttention(q, q, q, { bias: T.zeros([3, 2]) })).toThrow(
      'bias [3,2] is not a suffix',
    );
    expect(() => scaledDotProductAttention(q, q, q, { dropout: 1 })).toThrow(
      'dropout must be in [0, 1), got 1',
    );
  });
});

describe('maskedFill', () => {
  it('fills the masked places and sends them no gradient', () => {
    const x = leaf([2, 2]);
    const mask = T.array([
      [1, 0],
      [0, 1],
    ]).astype('bool');
    const y = maskedFill(x, mask, -5);
    expect(Array.from(y.value.toTypedArray()).filter((_, i) => i === 0 || i === 3)).toEqual([-5, -5]);
    y.sum().backward();
    expect(Array.from(x.grad!.toTypedArray())).toEqual([0, 1, 1, 0]);
  });
});
