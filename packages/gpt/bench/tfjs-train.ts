import type { NDArray } from '@mle/tensor';
import * as tf from '@tensorflow/tfjs';
import { alibiSlopes, type GPT } from '../src/index.js';
import { tfjsGptForward, tfjsWeights } from './tfjs-gpt.js';

/**
 * Trains the same GPT, from the same initial weights, in TensorFlow.js on whatever backend is set, one step per
 * batch: forward, backward by tf's autodiff, an Adam update. Returns each step's seconds. tfjs's optimizers have
 * no decoupled weight decay or gradient clipping; neither changes the work per step by more than one pass over the
 * weights.
 */
export async function tfjsTrainSteps(
  model: GPT,
  batches: readonly { inputs: NDArray; targets: NDArray }[],
  learningRate: number,
): Promise<number[]> {
  const { config } = model;
  const variables = tfjsWeights(model.stateDict(), (t) => tf.variable(t));
  const slopes = config.positions === 'alibi' ? alibiSlopes(config.heads) : [];
  const optimizer = tf.train.adam(learningRate, 0.9, 0.99);
  const seconds: number[] = [];
  for (const { inputs, targets } of batches) {
    const [B, T] = inputs.shape as [number, number];
    const x = tf.tidy(
      () =>
        tf
          .oneHot(tf.tensor2d(Int32Array.from(inputs.toTypedArray()), [B, T], 'int32'), config.vocabSize)
          .toFloat() as tf.Tensor3D,
    );
    const y = tf.tidy(() =>
      tf.oneHot(tf.tensor1d(Int32Array.from(targets.toTypedArray()), 'int32'), config.vocabSize),
    );
    const started = performance.now();
    const cost = optimizer.minimize(
      () =>
        tf.losses.softmaxCrossEntropy(
          y,
          tfjsGptForward(
            (name) => variables.get(name)!,
            (name) => variables.has(name),
            config,
            slopes,
            x,
          ),
        ) as tf.Scalar,
      true,
      [...variables.values()],
    );
    await cost!.data();
    seconds.push((performance.now() - started) / 1000);
    tf.dispose([x, y, cost!]);
  }
  optimizer.dispose();
  tf.dispose([...variables.values()]);
  return seconds;
}
