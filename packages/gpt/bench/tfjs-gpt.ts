/**
 * The same GPT written again in TensorFlow.js ops, from the papers, sharing no code with src/: the reference the
 * model's logits are checked against (test/model.test.ts) and the peer its training speed is measured beside
 * (bench/bench.ts). Weights come by name from `w`, in our state dict's names; tokens come one-hot, [B, T, vocab],
 * because tfjs's gather cannot be differentiated on its wasm backend (no UnsortedSegmentSum kernel), and a one-hot
 * row times the table is the same lookup.
 */
import type { NDArray } from '@mle/tensor';
import * as tf from '@tensorflow/tfjs';
import type { GptConfig } from '../src/index.js';

/**
 * Our state dict as tfjs tensors by name, each linear layer's weight [out, in] as a kernel [in, out] (`.kernel`),
 * everything else as it is. `make` builds each tensor (tf.tensor for constants, tf.variable to train).
 */
export function tfjsWeights<W extends tf.Tensor>(
  state: ReadonlyMap<string, NDArray>,
  make: (t: tf.Tensor) => W,
): Map<string, W> {
  return new Map(
    [...state].map(([name, a]) => {
      const t = tf.tensor(Float32Array.from(a.toTypedArray()), [...a.shape]);
      const linear = /\.(qkv|proj|up|down)\.weight$/.test(name);
      const value = linear ? tf.transpose(t) : t;
      if (linear) t.dispose();
      return [linear ? name.replace(/weight$/, 'kernel') : name, make(value)];
    }),
  );
}

export function tfjsGptForward(
  w: (name: string) => tf.Tensor,
  has: (name: string) => boolean,
  config: GptConfig,
  slopes: readonly number[],
  oneHot: tf.Tensor3D,
): tf.Tensor2D {
  const { heads, width: C, layers, bias, vocabSize } = config;
  const d = C / heads;
  const [B, Tn] = oneHot.shape as [number, number, number];
  // Kernels are [in, out], as tf.layers.dense keeps them: tfjs-wasm multiplies by a transposed operand about ten
  // times slower than by a plain one (measured here), so the peer is not made to.
  const linear = (x: tf.Tensor2D, name: string) => {
    const y = tf.matMul(x, w(`${name}.kernel`));
    return bias ? tf.add(y, w(`${name}.bias`)) : y;
  };
  const norm = (x: tf.Tensor, name: string) => {
    const { mean, variance } = tf.moments(x, -1, true);
    const y = tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-5))), w(`${name}.weight`));
    return has(`${name}.bias`) ? tf.add(y, w(`${name}.bias`)) : y;
  };
  // RoFormer eq. 34: features (2i, 2i+1) of position m rotated by m·10000^(−2i/d): x·cos + (−x₂ᵢ₊₁, x₂ᵢ)·sin,
  // the pair swapped by reversing it (tfjs's unstack along the last axis is slow on wasm, so it is not used).
  const angles = tf.outerProduct(
    tf.range(0, Tn),
    tf.pow(10000, tf.div(tf.mul(tf.range(0, d / 2), -2), d)) as tf.Tensor1D,
  );
  const twice = (t: tf.Tensor) => tf.reshape(tf.tile(tf.expandDims(t, 2), [1, 1, 2]), [Tn, d]);
  const cos = twice(tf.cos(angles));
  const sin = twice(tf.sin(angles));
  const sign = tf.tensor1d([-1, 1]);
  const rotate = (x: tf.Tensor4D) => {
    const swapped = tf.reshape(tf.mul(tf.reverse(tf.reshape(x, [B, heads, Tn, d / 2, 2]), 4), sign), [
      B,
      heads,
      Tn,
      d,
    ]);
    return tf.add(tf.mul(x, cos), tf.mul(swapped, sin)) as tf.Tensor4D;
  };
  const ones = tf.ones([Tn, Tn]);
  const lower = tf.linalg.bandPart(ones, -1, 0);
  // ALiBi (Press et al.): −m·(i − j) on the score of query i and key j.
  const distance = tf.sub(tf.reshape(tf.range(0, Tn), [Tn, 1]), tf.reshape(tf.range(0, Tn), [1, Tn]));
  const alibi =
    config.positions === 'alibi'
      ? tf.mul(tf.reshape(tf.tensor(slopes as number[]), [heads, 1, 1]), tf.neg(tf.relu(distance)))
      : null;

  let x: tf.Tensor = tf.reshape(
    tf.matMul(tf.reshape(oneHot, [B * Tn, vocabSize]), w('tokenEmbedding.weight')),
    [B, Tn, C],
  );
  if (config.positions === 'learned') x = tf.add(x, tf.slice(w('positionEmbedding.weight'), [0, 0], [Tn, C]));
  for (let l = 0; l < layers; l++) {
    const p = `blocks.${l}`;
    const h = tf.reshape(norm(x, `${p}.norm1`), [B * Tn, C]) as tf.Tensor2D;
    // q, k and v are the three width-wide thirds of the product, each split into heads: [B, heads, T, d].
    const heads4 = (t: tf.Tensor) =>
      tf.transpose(tf.reshape(t, [B, Tn, heads, d]), [0, 2, 1, 3]) as tf.Tensor4D;
    let [q, k, v] = tf.split(linear(h, `${p}.attention.qkv`), 3, 1).map(heads4) as [
      tf.Tensor4D,
      tf.Tensor4D,
      tf.Tensor4D,
    ];
    if (config.positions === 'rope') [q, k] = [rotate(q), rotate(k)];
    let scores = tf.div(tf.matMul(q, k, false, true), Math.sqrt(d));
    if (alibi) scores = tf.add(scores, alibi);
    scores = tf.where(tf.equal(lower, 1), scores, tf.fill(scores.shape, -1e9));
    const y = tf.matMul(tf.softmax(scores), v);
    const merged = tf.reshape(tf.transpose(y, [0, 2, 1, 3]), [B * Tn, C]) as tf.Tensor2D;
    x = tf.add(x, tf.reshape(linear(merged, `${p}.attention.proj`), [B, Tn, C]));
    const h2 = tf.reshape(norm(x, `${p}.norm2`), [B * Tn, C]) as tf.Tensor2D;
    const up = linear(h2, `${p}.mlp.up`);
    const gelu = tf.mul(tf.mul(up, 0.5), tf.add(1, tf.erf(tf.div(up, Math.SQRT2))));
    x = tf.add(x, tf.reshape(linear(gelu as tf.Tensor2D, `${p}.mlp.down`), [B, Tn, C]));
  }
  const final = tf.reshape(norm(x, 'finalNorm'), [B * Tn, C]) as tf.Tensor2D;
  return tf.matMul(final, w('tokenEmbedding.weight'), false, true);
}
