import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as T from '@mle/tensor';
import { XMLValidator } from 'fast-xml-parser';
import { afterAll, describe, expect, it } from 'vitest';
import { learningCurveSvg } from '../src/charts.js';
import {
  Adam,
  BatchNorm1d,
  biasVariance,
  confusionMatrix,
  crossEntropy,
  DataLoader,
  Dropout,
  evaluate,
  fit,
  Linear,
  loadStateDict,
  manualSeed,
  mseLoss,
  noGrad,
  ReLU,
  Sequential,
  SGD,
  saveStateDict,
  Tensor,
  TrainingError,
  worstExamples,
} from '../src/index.js';

const scratch = mkdtempSync(join(tmpdir(), 'mle-autograd-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Two Gaussian blobs per class in 2-D: learnable, but not perfectly. */
function blobs(n: number, seed: number) {
  const rng = new T.Rng(seed);
  const y = T.fromArray(
    Array.from({ length: n }, (_, i) => i % 3),
    [n],
    'int32',
  );
  const centres = T.array([
    [0, 2],
    [2, -1],
    [-2, -1],
  ]);
  const x = T.add(T.take(centres, y, 0), rng.normal([n, 2], 0, 0.8));
  return { x, y };
}

describe('fit', () => {
  it('learns a separable problem, reports per-epoch metrics and is reproducible from the seed', () => {
    const train = blobs(300, 1);
    const dev = blobs(150, 2);
    const once = () => {
      manualSeed(7);
      const model = new Sequential(new Linear(2, 16), new ReLU(), new Linear(16, 3));
      const result = fit({
        model,
        optimizer: new Adam(model.parameters(), { lr: 0.02 }),
        loss: crossEntropy,
        train: new DataLoader(train.x, train.y, { batchSize: 32, seed: 3 }),
        dev,
        epochs: 15,
      });
      return result.history;
    };
    const history = once();
    expect(history.length).toBe(15);
    expect(history.at(-1)!.dev!.accuracy!).toBeGreaterThan(0.85);
    expect(Object.keys(history.at(-1)!.train)).toEqual(['accuracy']);
    expect(history.at(-1)!.trainLoss).toBeLessThan(history[0]!.trainLoss);
    expect(once().map((r) => r.trainLoss)).toEqual(history.map((r) => r.trainLoss));
  });

  it('metrics come from the task: none for a regression unless given, and given metrics for train and dev', () => {
    const rng = new T.Rng(5);
    const x = rng.normal([64, 3], 0, 1, 'float64');
    const y = T.add(T.matmul(x, T.array([[1], [-2], [0.5]], 'float64')), 0.1);
    const regression = (metrics?: Parameters<typeof fit>[0]['metrics']) => {
      manualSeed(1);
      const model = new Linear(3, 1).to('float64');
      return fit({
        model,
        optimizer: new SGD(model.parameters(), { lr: 0.05 }),
        loss: (out, target) => mseLoss(out, new Tensor(target)),
        train: new DataLoader(x, y, { batchSize: 16, seed: 1 }),
        dev: { x, y },
        epochs: 3,
        metrics,
      }).history;
    };
    // Float targets are not classes: no accuracy (it used to report 0 for every regression).
    const plain = regression().at(-1)!;
    expect(plain.train).toEqual({});
    expect(plain.dev).toEqual({});
    // A mean absolute error, computed independently over the dev set from the model's own outputs.
    const mae = (out: T.NDArray, target: T.NDArray) => T.mean(T.abs(T.sub(out, target))).item();
    const history = regression({ mae });
    const last = history.at(-1)!;
    expect(Object.keys(last.train)).toEqual(['mae']);
    expect(last.dev!.mae!).toBeLessThan(history[0]!.dev!.mae!);
    expect(last.dev!.mae!).toBeGreaterThan(0);
  });

  it('stops early when dev loss stalls and restores the best weights', () => {
    const train = blobs(60, 3);
    const dev = blobs(60, 4);
    manualSeed(1);
    const model = new Sequential(new Linear(2, 64), new ReLU(), new Linear(64, 3));
    const result = fit({
      model,
      optimizer: new Adam(model.parameters(), { lr: 0.05 }),
      loss: crossEntropy,
      train: new DataLoader(train.x, train.y, { batchSize: 8, seed: 1 }),
      dev,
      epochs: 200,
      earlyStopping: { patience: 3 },
    });
    expect(result.stoppedEarly).toBe(true);
    expect(result.history.length).toBeLessThan(200);
    const bestLoss = Math.min(...result.history.map((r) => r.devLoss!));
    expect(result.history[result.bestEpoch - 1]!.devLoss).toBe(bestLoss);
    expect(evaluate(model, dev.x, dev.y, crossEntropy).loss).toBeCloseTo(bestLoss, 5);
  });

  it('stops on a non-finite loss, naming the epoch and step, before the update', () => {
    const data = blobs(64, 5);
    manualSeed(2);
    const model = new Sequential(new Linear(2, 3));
    const before = model.parameters().map((p) => p.value.clone());
    const poisoned = T.mul(data.x, 1);
    poisoned.set([40, 0], Number.NaN);
    const attempt = () =>
      fit({
        model,
        optimizer: new SGD(model.parameters(), { lr: 0.1 }),
        loss: crossEntropy,
        train: new DataLoader(poisoned, data.y, { batchSize: 16, shuffle: false }),
        epochs: 3,
      });
    expect(attempt).toThrow(TrainingError);
    expect(attempt).toThrow('fit: loss is NaN at epoch 1, step 3; training stopped before the update');
    // Steps 1 and 2 trained; step 3's NaN never reached the weights.
    for (const p of model.parameters()) expect(Array.from(p.value.data).every(Number.isFinite)).toBe(true);
    expect(before.length).toBe(2);
  });
});

describe('bad input', () => {
  const logits = new Tensor(T.zeros([3, 4]), { requiresGrad: true });
  it('cross-entropy names shape mismatches and labels out of range', () => {
    expect(() => crossEntropy(logits, [0, 1])).toThrow(
      'crossEntropy: targets have shape [2], expected [3] (one class index per row of logits)',
    );
    expect(() => crossEntropy(logits, [0, 1, 4])).toThrow(
      'crossEntropy: target 2 is 4, expected a class index in [0, 3]',
    );
    expect(() => crossEntropy(logits, [0, 1, 1.5])).toThrow('crossEntropy: target 2 is 1.5');
    expect(() => crossEntropy(new Tensor(T.zeros([3])), [0, 1, 2])).toThrow(
      'crossEntropy: logits must be [N, C], got [3]',
    );
  });
  it('MSE refuses silent broadcasting; layers name their expected input', () => {
    expect(() => mseLoss(new Tensor(T.zeros([3, 1])), new Tensor(T.zeros([3])))).toThrow(
      'mseLoss: prediction [3,1] and target [3] differ in shape',
    );
    expect(() => new Linear(4, 2).forward(new Tensor(T.zeros([2, 3])))).toThrow(
      'Linear(4, 2): input has 3 features, shape [2,3]',
    );
    expect(() => new BatchNorm1d(3).forward(new Tensor(T.zeros([2, 4])))).toThrow(
      'BatchNorm1d(3): expected input [N, 3], got [2,4]',
    );
    expect(() => new DataLoader(T.zeros([3, 2]), T.zeros([4]), { batchSize: 2 })).toThrow(
      'DataLoader: x has 3 rows, y has 4',
    );
  });
  it('backward needs a scalar or an explicit gradient', () => {
    const x = new Tensor(T.ones([2]), { requiresGrad: true });
    expect(() => x.mul(2).backward()).toThrow(
      'backward: a gradient must be given for a non-scalar output of shape [2]',
    );
    expect(() => new Tensor(T.ones([1])).backward()).toThrow('does not require a gradient');
  });
});

describe('modules and state', () => {
  it('a state dict survives a save and load through JSON + binary, buffers included', () => {
    manualSeed(9);
    const make = () =>
      new Sequential(new Linear(3, 4), new BatchNorm1d(4), new ReLU(), new Dropout(0.2), new Linear(4, 2));
    const a = make();
    noGrad(() => a.forward(new Tensor(new T.Rng(1).normal([8, 3])))); // moves BatchNorm's running statistics
    const path = join(scratch, 'model');
    saveStateDict(a.stateDict(), path);
    const b = make();
    b.loadStateDict(loadStateDict(path));
    expect([...b.stateDict().keys()]).toEqual([
      'layers.0.weight',
      'layers.0.bias',
      'layers.1.weight',
      'layers.1.bias',
      'layers.4.weight',
      'layers.4.bias',
      'layers.1.runningMean',
      'layers.1.runningVar',
    ]);
    for (const [name, value] of a.stateDict())
      expect(Array.from(b.stateDict().get(name)!.data), name).toEqual(Array.from(value.data));
    const x = new Tensor(new T.Rng(2).normal([5, 3]));
    expect(Array.from(b.eval().forward(x).value.data)).toEqual(Array.from(a.eval().forward(x).value.data));
  });

  it('loading names missing, unexpected and mis-shaped entries; a corrupt file is refused', () => {
    const model = new Sequential(new Linear(3, 2));
    expect(() => model.loadStateDict(new Map([['layers.0.weight', T.zeros([2, 3])]]))).toThrow(
      'loadStateDict: missing [layers.0.bias], unexpected []',
    );
    expect(() =>
      model.loadStateDict(
        new Map([
          ['layers.0.weight', T.zeros([3, 2])],
          ['layers.0.bias', T.zeros([2])],
        ]),
      ),
    ).toThrow('loadStateDict: layers.0.weight has shape [3,2] in the state, [2,3] in the model');
    const path = join(scratch, 'corrupt');
    saveStateDict(model.stateDict(), path);
    writeFileSync(`${path}.bin`, Buffer.alloc(4));
    expect(() => loadStateDict(path)).toThrow(
      /loadStateDict: entry layers.0.weight \(float32 \[2,3\]\) does not fit/,
    );
  });

  it('train() and eval() reach every sub-module: dropout is the identity in eval mode', () => {
    manualSeed(3);
    const model = new Sequential(new Linear(4, 4), new Dropout(0.5));
    const x = new Tensor(T.ones([2, 4]));
    model.eval();
    expect(model.layers.every((l) => !l.training)).toBe(true);
    const a = model.forward(x).value.data;
    expect(Array.from(model.forward(x).value.data)).toEqual(Array.from(a));
    model.train();
    const dropped = Array.from(model.forward(x).value.data);
    expect(dropped.some((v, i) => v !== a[i])).toBe(true);
  });

  it('DataLoader batches cover every row once per epoch, reshuffled by its seed', () => {
    const x = T.arange(10).reshape(10, 1);
    const loader = new DataLoader(x, T.arange(10, undefined, 1, 'int32'), { batchSize: 4, seed: 5 });
    const epoch = () => [...loader].flatMap((b) => Array.from(b.x.toTypedArray()));
    const first = epoch();
    const second = epoch();
    expect([...first].sort((p, q) => p - q)).toEqual([...Array(10).keys()]);
    expect(second).not.toEqual(first);
    expect([...new DataLoader(x, x, { batchSize: 4, seed: 5 })].map((b) => b.x.shape[0])).toEqual([4, 4, 2]);
    const again = new DataLoader(x, T.arange(10, undefined, 1, 'int32'), { batchSize: 4, seed: 5 });
    expect([...again].flatMap((b) => Array.from(b.x.toTypedArray()))).toEqual(first);
  });
});

describe('structuring ML projects', () => {
  it('confusion matrix, bias/variance readout and worst examples', () => {
    expect(confusionMatrix([0, 1, 1, 2], [0, 1, 2, 2], 3)).toEqual([
      [1, 0, 0],
      [0, 1, 0],
      [0, 1, 1],
    ]);
    expect(biasVariance({ trainError: 0.08, devError: 0.1, baselineError: 0.01 }).focus).toBe('bias');
    const v = biasVariance({ trainError: 0.01, devError: 0.11, baselineError: 0.005 });
    expect(v.focus).toBe('variance');
    expect(v.variance).toBeCloseTo(0.1, 12);
    const logits = T.array([
      [5, 0],
      [0, 5],
      [4, 0],
    ]);
    expect(worstExamples(logits, [0, 0, 1], 2).map((e) => e.index)).toEqual([1, 2]);
  });

  it('draws a learning curve as a well-formed SVG', async () => {
    const svg = await learningCurveSvg(
      [
        {
          epoch: 1,
          trainLoss: 1,
          train: { accuracy: 0.8 },
          devLoss: 1,
          dev: { accuracy: 0.78 },
          lr: 1,
          seconds: 1,
        },
        {
          epoch: 2,
          trainLoss: 0.5,
          train: { accuracy: 0.9 },
          devLoss: 0.6,
          dev: { accuracy: 0.88 },
          lr: 1,
          seconds: 1,
        },
      ],
      'curve',
    );
    expect(XMLValidator.validate(svg)).toBe(true);
    expect(svg).toContain('dev error %');
    await expect(
      learningCurveSvg([{ epoch: 1, trainLoss: 1, train: {}, lr: 1, seconds: 1 }], 'regression'),
    ).rejects.toThrow('the history has no accuracy');
  });
});
