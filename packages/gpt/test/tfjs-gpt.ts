/**
 * The same GPT written again in TensorFlow.js ops, from the papers, sharing no code with src/: the reference the
 * model's logits are checked against. It reads the weights from our state dict by name.
 */

import type { NDArray } from '@mle/tensor';
import * as tf from '@tensorflow/tfjs';
import type { GptConfig } from '../src/index.js';

export function tfjsGptLogits(
  state: ReadonlyMap<string, NDArray>,
  config: GptConfig,
  slopes: readonly number[],
  ids: number[][],
): Float32Array {
  return tf.tidy(() => {
    const w = (name: string) => {
      const a = state.get(name);
      if (!a) throw new Error(`tfjs reference: no tensor ${name}`);
      return tf.tensor(Float32Array.from(a.toTypedArray()), [...a.shape]);
    };
    const has = (name: string) => state.has(name);
    const { heads, width: C, layers, bias } = config;
    const d = C / heads;
    const B = ids.length;
    const Tn = ids[0]!.length;
    const linear = (x: tf.Tensor2D, name: string) => {
      const y = tf.matMul(x, w(`${name}.weight`), false, true);
      return bias ? tf.add(y, w(`${name}.bias`)) : y;
    };
    const norm = (x: tf.Tensor, name: string) => {
      const { mean, variance } = tf.moments(x, -1, true);
      const y = tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-5))), w(`${name}.weight`));
      return has(`${name}.bias`) ? tf.add(y, w(`${name}.bias`)) : y;
    };
    // RoFormer eq. 34: features (2i, 2i+1) of position m rotated by m·10000^(−2i/d).
    const rotate = (x: tf.Tensor4D) => {
      const angles = tf.outerProduct(
        tf.range(0, Tn),
        tf.pow(10000, tf.div(tf.mul(tf.range(0, d / 2), -2), d)) as tf.Tensor1D,
      );
      const pairs = tf.reshape(x, [B, heads, Tn, d / 2, 2]);
      const [even, odd] = tf.unstack(pairs, 4) as [tf.Tensor, tf.Tensor];
      const cos = tf.cos(angles);
      const sin = tf.sin(angles);
      const rotated = tf.stack(
        [tf.sub(tf.mul(even, cos), tf.mul(odd, sin)), tf.add(tf.mul(even, sin), tf.mul(odd, cos))],
        4,
      );
      return tf.reshape(rotated, [B, heads, Tn, d]) as tf.Tensor4D;
    };
    const ones = tf.ones([Tn, Tn]);
    const lower = tf.linalg.bandPart(ones, -1, 0);
    // ALiBi (Press et al.): −m·(i − j) on the score of query i and key j.
    const distance = tf.sub(tf.reshape(tf.range(0, Tn), [Tn, 1]), tf.reshape(tf.range(0, Tn), [1, Tn]));
    const alibi = tf.mul(tf.reshape(tf.tensor(slopes as number[]), [heads, 1, 1]), tf.neg(tf.relu(distance)));

    let x: tf.Tensor = tf.gather(w('tokenEmbedding.weight'), tf.tensor2d(ids, undefined, 'int32'));
    if (config.positions === 'learned')
      x = tf.add(x, tf.slice(w('positionEmbedding.weight'), [0, 0], [Tn, C]));
    for (let l = 0; l < layers; l++) {
      const p = `blocks.${l}`;
      const h = tf.reshape(norm(x, `${p}.norm1`), [B * Tn, C]) as tf.Tensor2D;
      const qkv = tf.transpose(
        tf.reshape(linear(h, `${p}.attention.qkv`), [B, Tn, 3, heads, d]),
        [2, 0, 3, 1, 4],
      );
      let [q, k, v] = tf.unstack(qkv, 0) as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D];
      if (config.positions === 'rope') [q, k] = [rotate(q), rotate(k)];
      let scores = tf.div(tf.matMul(q, k, false, true), Math.sqrt(d));
      if (config.positions === 'alibi') scores = tf.add(scores, alibi);
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
    return tf.matMul(final, w('tokenEmbedding.weight'), false, true).dataSync() as Float32Array;
  });
}
