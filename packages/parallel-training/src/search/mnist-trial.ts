import {
  Adam,
  accuracy,
  crossEntropy,
  DataLoader,
  manualSeed,
  noGrad,
  type Sequential,
  Tensor,
} from '@mle/autograd';
import { mnistArrays, mnistMlp } from '@mle/autograd/mnist';
import { setMatmulThreads } from '@mle/tensor';
import type { Config, Space } from './space.js';

/** The MNIST MLP's search space: Adam's learning rate, the hidden width, the batch size, dropout. */
export const MNIST_SPACE: Space = {
  lr: { kind: 'float', low: 1e-4, high: 0.3, log: true },
  hidden: { kind: 'int', low: 16, high: 256, log: true },
  batchSize: { kind: 'choice', values: [32, 64, 128, 256] },
  dropout: { kind: 'float', low: 0, high: 0.6 },
};

const number = (config: Config, name: string) => {
  const v = config[name];
  if (typeof v !== 'number' || !Number.isFinite(v))
    throw new TypeError(`hyperparameter "${name}" must be a number, got ${JSON.stringify(v)}`);
  return v;
};

/**
 * One trial: the MLP 784 → hidden → 10 (ReLU, dropout) trained with Adam on the 7,000 training digits of the seeded
 * split, `epochs` epochs from scratch; after each, the accuracy on the 1,000 dev digits is reported to `onEpoch`,
 * which may stop the trial. Single-threaded (trials run side by side). Returns the dev accuracy after each epoch.
 */
export async function trainMnistTrial(
  config: Config,
  epochs: number,
  onEpoch: (epoch: number, accuracy: number) => boolean | Promise<boolean>,
  options: {
    seed?: number;
    /** Read the digits from this directory (a mounted volume) instead of the mnist package. */
    dataDir?: string;
    /** Called with the trained model (to save it). */
    onTrained?: (model: Sequential) => void;
  } = {},
): Promise<number[]> {
  const lr = number(config, 'lr');
  const hidden = number(config, 'hidden');
  const batchSize = number(config, 'batchSize');
  const dropout = number(config, 'dropout');
  const seed = options.seed ?? 0;
  setMatmulThreads(1);
  const { train, dev } = mnistArrays({ seed: 0, dir: options.dataDir });
  manualSeed(seed);
  const model = mnistMlp({ hidden, dropout });
  const optimizer = new Adam(model.parameters(), { lr });
  const loader = new DataLoader(train.x, train.y, { batchSize, seed });
  const scores: number[] = [];
  for (let epoch = 1; epoch <= epochs; epoch++) {
    model.train();
    for (const batch of loader) {
      optimizer.zeroGrad();
      crossEntropy(model.forward(new Tensor(batch.x)), batch.y).backward();
      optimizer.step();
    }
    model.eval();
    const score = accuracy(noGrad(() => model.forward(new Tensor(dev.x))).value, dev.y);
    scores.push(score);
    if (!(await onEpoch(epoch, score))) break;
  }
  options.onTrained?.(model);
  return scores;
}
