// @mle/autograd/mnist: the MNIST recipe the demo, the bench and the apps share (it loads @mle/datasets, which the
// library does not).
import { loadMnist, MNIST_PIXELS } from '@mle/datasets';
import { fromTypedArray, type NDArray } from '@mle/tensor';
import { DataLoader } from './data.js';
import { crossEntropy } from './nn/functional.js';
import { BatchNorm1d, Conv2d, Dropout, Flatten, Linear, MaxPool2d, ReLU, Sequential } from './nn/layers.js';
import type { Module } from './nn/module.js';
import type { Optimizer } from './optim/optimizer.js';
import { Adam } from './optim/optimizers.js';
import { type FitOptions, type FitResult, fit } from './train.js';

/** The demo's and bench's two models: an MLP (784 → hidden → 10) and a LeNet-style CNN. */
export const mnistMlp = (options: { hidden?: number; dropout?: number; batchNorm?: boolean } = {}) => {
  const hidden = options.hidden ?? 128;
  return new Sequential(
    new Linear(MNIST_PIXELS, hidden),
    ...(options.batchNorm ? [new BatchNorm1d(hidden)] : []),
    new ReLU(),
    ...(options.dropout ? [new Dropout(options.dropout)] : []),
    new Linear(hidden, 10),
  );
};

/** LeNet-style: conv 5×5 ×8 → pool → conv 5×5 ×16 → pool → 64 → 10. */
export const mnistCnn = () =>
  new Sequential(
    new Conv2d(1, 8, 5),
    new ReLU(),
    new MaxPool2d(2),
    new Conv2d(8, 16, 5),
    new ReLU(),
    new MaxPool2d(2),
    new Flatten(),
    new Linear(16 * 4 * 4, 64),
    new ReLU(),
    new Linear(64, 10),
  );

export interface MnistArrays {
  x: NDArray;
  y: NDArray;
}

/**
 * The seeded MNIST split as arrays: 8,000 training digits of which the last `devSize` are held out as a
 * dev set, and 2,000 test digits. `image` shapes each example as [784] (MLP) or [1, 28, 28] (CNN). `dir` reads
 * the digit files from another directory (a mounted volume) instead of the mnist package.
 */
export function mnistArrays(
  options: { seed?: number; devSize?: number; image?: 'flat' | 'grid'; dir?: string } = {},
) {
  const { seed = 0, devSize = 1000, image = 'flat', dir } = options;
  const { train, test } = loadMnist({ seed, dir });
  const shape = image === 'flat' ? [MNIST_PIXELS] : [1, 28, 28];
  const arrays = (images: Float32Array, labels: Uint8Array, count: number): MnistArrays => ({
    x: fromTypedArray(images, [count, ...shape]),
    y: fromTypedArray(Int32Array.from(labels), [count]),
  });
  const cut = train.count - devSize;
  return {
    train: arrays(train.images.subarray(0, cut * MNIST_PIXELS), train.labels.subarray(0, cut), cut),
    dev: arrays(train.images.subarray(cut * MNIST_PIXELS), train.labels.subarray(cut), devSize),
    test: arrays(test.images, test.labels, test.count),
  };
}

/**
 * The MNIST training recipe every demo, bench and test here shares: cross-entropy, batches of 64 shuffled with
 * seed 0, and Adam at 1e-3 unless another optimizer is given. Seed the model's initialization with manualSeed first.
 */
export function fitMnist(
  model: Module,
  train: MnistArrays,
  options: Omit<FitOptions, 'model' | 'optimizer' | 'loss' | 'train'> & { optimizer?: Optimizer },
): FitResult {
  return fit({
    ...options,
    model,
    optimizer: options.optimizer ?? new Adam(model.parameters(), { lr: 1e-3 }),
    loss: crossEntropy,
    train: new DataLoader(train.x, train.y, { batchSize: 64, seed: 0 }),
  });
}
