/**
 * Builds the model repository the server serves (models/, a cached turbo output):
 *   mnist       the @mle/autograd MLP 784-128-10 (+ softmax), exported to ONNX by @mle/onnx
 *   mnist-tfjs  the same MLP trained with TensorFlow.js (wasm backend) and saved in its layers format
 *   gpt-char    a character GPT from @mle/gpt (2 layers × width 64, rotary positions, trained on Moby Dick for 300
 *               steps, about 2 minutes; reused from packages/gpt/artifacts when the bench trained it), exported to
 *               ONNX with past keys and values, served by the generate routes (GPT_RECIPE=quick: a smaller one)
 * The MLPs are trained on the seeded MNIST split; prints their test accuracy and the GPT's validation loss.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crossEntropy, DataLoader, evaluate, manualSeed, Sequential, Softmax } from '@mle/autograd';
import { fitMnist, mnistArrays, mnistMlp } from '@mle/autograd/mnist';
import { CHAR_GPT_QUICK, EXTRAPOLATION, exportGptOnnx, trainedGpt } from '@mle/gpt';
import { exportModule } from '@mle/onnx';
import { saveLayersModel, tfjsBackend } from '@mle/serving-core/tfjs';
import * as tf from '@tensorflow/tfjs';

const root = process.argv[2] ?? fileURLToPath(new URL('../models', import.meta.url));
const epochs = Number(process.env.MODEL_EPOCHS ?? 20);
const labels = Array.from({ length: 10 }, (_, d) => String(d));
const config = (name: string, platform: string, input: string, output: string) => ({
  name,
  platform,
  max_batch_size: 32,
  input: [{ name: input, data_type: 'TYPE_FP32', dims: [784] }],
  output: [{ name: output, data_type: 'TYPE_FP32', dims: [10] }],
  dynamic_batching: { max_queue_delay_us: 1000, max_queue_size: 256 },
  labels,
});

rmSync(root, { recursive: true, force: true });
const data = mnistArrays({ image: 'flat' });

manualSeed(0);
const mlp = mnistMlp({ dropout: 0.2 });
fitMnist(mlp, data.train, { epochs, label: 'mnist (autograd)' });
const accuracy = evaluate(mlp, data.test.x, data.test.y, crossEntropy).metrics.accuracy!;
const served = new Sequential(...mlp.layers, new Softmax());
mkdirSync(join(root, 'mnist', '1'), { recursive: true });
writeFileSync(
  join(root, 'mnist', '1', 'model.onnx'),
  exportModule(served, data.test.x.slice({ stop: 1 }), {
    metadata: {
      docString: `MNIST MLP 784-128-10 trained by @mle/autograd, test accuracy ${(100 * accuracy).toFixed(2)}%`,
    },
  }),
);
writeFileSync(
  join(root, 'mnist', 'config.json'),
  `${JSON.stringify(config('mnist', 'onnxruntime_onnx', 'input', 'output'), null, 2)}\n`,
);
console.log(
  `mnist: @mle/autograd MLP, test accuracy ${(100 * accuracy).toFixed(2)}% → ${root}/mnist/1/model.onnx`,
);

await tfjsBackend();
const model = tf.sequential({
  layers: [
    tf.layers.dense({
      inputShape: [784],
      units: 128,
      activation: 'relu',
      name: 'hidden',
      kernelInitializer: tf.initializers.glorotUniform({ seed: 0 }),
    }),
    tf.layers.dense({
      units: 10,
      activation: 'softmax',
      name: 'probabilities',
      kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }),
    }),
  ],
});
model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
const loader = new DataLoader(data.train.x, data.train.y, { batchSize: 64, seed: 0 });
for (let epoch = 0; epoch < Math.ceil(epochs / 4); epoch++) {
  for (const batch of loader) {
    const [x, y] = tf.tidy(() => [
      tf.tensor(batch.x.toTypedArray() as Float32Array, [batch.x.shape[0]!, 784]),
      tf.oneHot(tf.tensor1d(Int32Array.from(batch.y.toTypedArray()), 'int32'), 10),
    ]);
    await model.trainOnBatch(x!, y!);
    tf.dispose([x!, y!]);
  }
}
const tfAccuracy = tf.tidy(() => {
  const predicted = (
    model.predict(
      tf.tensor(data.test.x.toTypedArray() as Float32Array, [data.test.x.shape[0]!, 784]),
    ) as tf.Tensor
  ).argMax(1);
  return predicted
    .equal(tf.tensor1d(Int32Array.from(data.test.y.toTypedArray()), 'int32'))
    .mean()
    .dataSync()[0]!;
});
await saveLayersModel(model, join(root, 'mnist-tfjs', '1'));
writeFileSync(
  join(root, 'mnist-tfjs', 'config.json'),
  `${JSON.stringify(config('mnist-tfjs', 'tfjs_layers', 'hidden_input', 'probabilities'), null, 2)}\n`,
);
console.log(
  `mnist-tfjs: TensorFlow.js MLP (${tf.getBackend()} backend), test accuracy ${(100 * tfAccuracy).toFixed(2)}% → ${root}/mnist-tfjs/1/`,
);

// The GPT: the extrapolation table's rotary model, the largest that trains in about two minutes on 2 cores.
// GPT_RECIPE=quick takes @mle/gpt's quick model instead (seconds; context 32), for tests of the page.
const recipe = process.env.GPT_RECIPE === 'quick' ? CHAR_GPT_QUICK : EXTRAPOLATION.rope;
const gpt = trainedGpt(recipe, { log: (line) => console.log(`gpt-char: ${line}`), progress: false });
const vocabulary = gpt.corpus.decode(Array.from({ length: gpt.corpus.vocabSize }, (_, i) => i));
if (Array.from(vocabulary).length !== gpt.corpus.vocabSize)
  throw new Error('gpt-char: a token of the character corpus is not one character');
mkdirSync(join(root, 'gpt-char', '1'), { recursive: true });
writeFileSync(
  join(root, 'gpt-char', '1', 'model.onnx'),
  exportGptOnnx(gpt.model, { properties: { 'gpt.recipe': `${recipe.name} ${gpt.key}` } }),
);
const valLoss = gpt.state.history.at(-1)!.valLoss!;
writeFileSync(
  join(root, 'gpt-char', 'config.json'),
  `${JSON.stringify(
    {
      name: 'gpt-char',
      platform: 'onnxruntime_onnx',
      max_batch_size: 32,
      generation: {
        tokenizer: { type: 'characters', alphabet: vocabulary },
        context_length: gpt.model.config.contextLength,
        scheduling: 'continuous',
        max_queue_size: 256,
        defaults: { max_tokens: 64, temperature: 0.8, top_k: 40, top_p: 0.95, repetition_penalty: 1 },
      },
    },
    null,
    2,
  )}\n`,
);
console.log(
  `gpt-char: character GPT (recipe ${gpt.key}), validation loss ${valLoss.toFixed(3)} nats/char → ${root}/gpt-char/1/model.onnx`,
);
