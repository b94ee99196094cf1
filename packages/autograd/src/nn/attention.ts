import type { NDArray } from '@mle/tensor';
import * as T from '@mle/tensor';
import { Tensor } from '../tensor.js';
import { globalRng } from './init.js';

export interface AttentionOptions {
  /**
   * Query i of Tq attends key j of Tk only when j ≤ i + (Tk − Tq): the queries are the last Tq positions of the
   * keys' sequence, as in training (Tq = Tk) and in decoding with a cache of earlier keys (Tq < Tk).
   */
  causal?: boolean;
  /**
   * Added to the scaled scores before the softmax (ALiBi's distance penalties); a constant whose shape is a suffix of
   * the scores' [..., Tq, Tk], e.g. [heads, Tq, Tk] for scores [batch, heads, Tq, Tk].
   */
  bias?: NDArray;
  /** The factor on q·k; 1/√d by default (Vaswani et al., 2017). */
  scale?: number;
  /** Probability of zeroing each attention weight (inverted dropout, from the global generator); 0 by default. */
  dropout?: number;
}

const swapLast = (a: NDArray) =>
  a.transpose(...a.shape.map((_, i) => i).slice(0, -2), a.rank - 1, a.rank - 2);
const shapeText = (shape: readonly number[]) => `[${shape.join(',')}]`;

/**
 * softmax(q·kᵀ·scale + bias, masked) · v for q [..., Tq, d], k [..., Tk, d], v [..., Tk, dv], as one op (PyTorch's
 * F.scaled_dot_product_attention). The two products run on the tensor package's matmul kernel, batched over the
 * leading axes; the mask, bias and softmax are one pass over the scores, and only the weights P are kept for the
 * backward pass: ∂L/∂v = Pᵀ·g, ∂L/∂P = g·vᵀ, ∂L/∂S = P ⊙ (∂L/∂P − rowsum(∂L/∂P ⊙ P)), ∂L/∂q = ∂L/∂S·k·scale and
 * ∂L/∂k = ∂L/∂Sᵀ·q·scale. Masked weights are exactly 0, so no gradient reaches a future position.
 */
export function scaledDotProductAttention(
  q: Tensor,
  k: Tensor,
  v: Tensor,
  options: AttentionOptions = {},
): Tensor {
  if (q.shape.length < 2 || k.shape.length !== q.shape.length || v.shape.length !== q.shape.length)
    throw new RangeError(
      `scaledDotProductAttention: q, k and v must have the same rank ≥ 2, got ${shapeText(q.shape)}, ${shapeText(k.shape)}, ${shapeText(v.shape)}`,
    );
  const lead = q.shape.slice(0, -2).join();
  const [Tq, d] = q.shape.slice(-2) as [number, number];
  const [Tk, dk] = k.shape.slice(-2) as [number, number];
  if (
    k.shape.slice(0, -2).join() !== lead ||
    v.shape.slice(0, -2).join() !== lead ||
    dk !== d ||
    v.shape.at(-2) !== Tk
  )
    throw new RangeError(
      `scaledDotProductAttention: expected q [..., Tq, d], k [..., Tk, d], v [..., Tk, dv] with the same leading axes, got ${shapeText(q.shape)}, ${shapeText(k.shape)}, ${shapeText(v.shape)}`,
    );
  const { causal = false, bias, scale = 1 / Math.sqrt(d), dropout = 0 } = options;
  if (causal && Tq > Tk)
    throw new RangeError(
      `scaledDotProductAttention: a causal mask needs at least as many keys as queries (Tq ${Tq}, Tk ${Tk}): the first queries would see nothing`,
    );
  if (!(dropout >= 0 && dropout < 1))
    throw new RangeError(`scaledDotProductAttention: dropout must be in [0, 1), got ${dropout}`);
  const scores = T.matmul(q.value, swapLast(k.value));
  if (bias) {
    const suffix = scores.shape.slice(scores.rank - bias.rank);
    if (bias.rank > scores.rank || suffix.join() !== bias.shape.join())
      throw new RangeError(
        `scaledDotProductAttention: bias ${shapeText(bias.shape)} is not a suffix of the scores' shape ${shapeText(scores.shape)}`,
      );
  }
  const probs = softmaxRows(scores, Tq, Tk, scale, causal, bias?.toReadonlyTypedArray());
  let keep: NDArray | null = null;
  let weights = probs;
  if (dropout > 0) {
    keep = T.div(
      T.greaterEqual(globalRng().uniform(probs.shape, 0, 1, probs.dtype), dropout).astype(probs.dtype),
      1 - dropout,
    );
    weights = T.mul(probs, keep);
  }
  const out = T.matmul(weights, v.value);
  return Tensor.fromOp('scaledDotProductAttention', out, [q, k, v], (g) => {
    const gv = v.requiresGrad ? T.matmul(swapLast(weights), g) : null;
    if (!q.requiresGrad && !k.requiresGrad) return [null, null, gv];
    const gWeights = T.matmul(g, swapLast(v.value));
    const gp = keep ? T.mul(gWeights, keep) : gWeights;
    const gs = softmaxBackward(probs, gp, Tk, scale);
    return [
      q.requiresGrad ? T.matmul(gs, k.value) : null,
      k.requiresGrad ? T.matmul(swapLast(gs), q.value) : null,
      gv,
    ];
  });
}

/** In place: each row of scores becomes softmax(row·scale + bias) over its visible keys, and 0 elsewhere. */
function softmaxRows(
  scores: NDArray,
  Tq: number,
  Tk: number,
  scale: number,
  causal: boolean,
  bias: ArrayLike<number> | undefined,
): NDArray {
  const s = scores.data;
  const biasSize = bias?.length ?? 1;
  const rows = scores.size / Tk;
  for (let r = 0, base = 0; r < rows; r++, base += Tk) {
    const visible = causal ? (r % Tq) + Tk - Tq + 1 : Tk;
    const biasBase = base % biasSize;
    let max = Number.NEGATIVE_INFINITY;
    for (let j = 0; j < visible; j++) {
      const z = s[base + j]! * scale + (bias ? bias[biasBase + j]! : 0);
      s[base + j] = z;
      if (z > max) max = z;
    }
    let total = 0;
    for (let j = 0; j < visible; j++) {
      const e = Math.exp(s[base + j]! - max);
      s[base + j] = e;
      total += e;
    }
    for (let j = 0; j < visible; j++) s[base + j]! /= total;
    s.fill(0, base + visible, base + Tk);
  }
  return scores;
}

/** ∂L/∂S·scale from the weights P and ∂L/∂P, row by row; a fresh array. */
function softmaxBackward(probs: NDArray, gp: NDArray, Tk: number, scale: number): NDArray {
  const p = probs.data;
  const gpv = gp.toReadonlyTypedArray();
  const out = T.zeros(probs.shape, probs.dtype);
  const o = out.data;
  for (let base = 0; base < p.length; base += Tk) {
    let dot = 0;
    for (let j = 0; j < Tk; j++) dot += gpv[base + j]! * p[base + j]!;
    for (let j = 0; j < Tk; j++) o[base + j] = p[base + j]! * (gpv[base + j]! - dot) * scale;
  }
  return out;
}
