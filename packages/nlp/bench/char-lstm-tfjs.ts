import type { NDArray } from '@mle/tensor';
import * as tf from '@tensorflow/tfjs';
import type { CharLmRecipe } from '../src/index.js';

/**
 * The same character model in TensorFlow.js layers (embedding as a bias-free dense layer on one-hot input → LSTM
 * returning every step → dense to the vocabulary), trained by `trainOnBatch` with Adam on the same [batch, window + 1] blocks. Each step's seconds are
 * returned. tfjs layers have no truncated BPTT with state carried between calls short of a stateful layer with a
 * fixed batch, so every window starts from zeros: the work per step is the same.
 */
export async function tfjsCharLstmSteps(
  recipe: CharLmRecipe,
  vocabSize: number,
  blocks: readonly NDArray[],
): Promise<number[]> {
  const { batch, window } = recipe;
  const model = tf.sequential({
    layers: [
      // An embedding is a one-hot row times a matrix; tfjs's Embedding layer cannot train on the wasm backend (its
      // gradient needs the UnsortedSegmentSum kernel, which tfjs-backend-wasm 4.22 lacks), so it is written so.
      tf.layers.dense({ units: recipe.embedding, useBias: false, inputShape: [window, vocabSize] }),
      tf.layers.lstm({ units: recipe.hidden, returnSequences: true, recurrentActivation: 'sigmoid' }),
      tf.layers.dense({ units: vocabSize }),
    ],
  });
  model.compile({
    optimizer: tf.train.adam(recipe.lr),
    loss: (labels: tf.Tensor, logits: tf.Tensor) => tf.losses.softmaxCrossEntropy(labels, logits),
  });
  const seconds: number[] = [];
  for (const block of blocks) {
    const ids = block.toTypedArray();
    const inputs: number[] = [];
    const targets: number[] = [];
    for (let b = 0; b < batch; b++)
      for (let t = 0; t < window; t++) {
        inputs.push(ids[b * (window + 1) + t]!);
        targets.push(ids[b * (window + 1) + t + 1]!);
      }
    const x = tf.tidy(() => tf.oneHot(tf.tensor2d(inputs, [batch, window], 'int32'), vocabSize).toFloat());
    const y = tf.tidy(() => tf.oneHot(tf.tensor2d(targets, [batch, window], 'int32'), vocabSize));
    const started = performance.now();
    await model.trainOnBatch(x, y);
    seconds.push((performance.now() - started) / 1000);
    tf.dispose([x, y]);
  }
  model.dispose();
  return seconds;
}
