import {
  BatchNorm1d,
  BatchNorm2d,
  Conv2d,
  Dropout,
  Embedding,
  Flatten,
  GELU,
  LayerNorm,
  Linear,
  MaxPool2d,
  Module,
  manualSeed,
  noGrad,
  ReLU,
  Sequential,
  Sigmoid,
  Softmax,
  Tanh,
  Tensor,
} from '@mle/autograd';
import { mnistCnn, mnistMlp } from '@mle/autograd/mnist';
import { OnnxSession, readModel } from '@mle/onnx-runtime';
import * as T from '@mle/tensor';
import { describe, expect, it } from 'vitest';
import { exportModule } from '../src/index.js';

const rng = new T.Rng(11);

/** onnxruntime's output for batch sizes 1, 3 and 17 against our forward pass, element by element. */
async function expectSameOutputs(model: Module<never, unknown>, sample: (batch: number) => T.NDArray) {
  model.eval();
  const bytes = exportModule(model, sample(2));
  const session = await OnnxSession.create(bytes);
  try {
    expect(session.inputs[0]!.shape[0]).toBe('batch');
    for (const batch of [1, 3, 17]) {
      const x = sample(batch);
      const input = x.dtype === 'int32' ? x : new Tensor(x);
      const ours = noGrad(() => (model as Module<Tensor | T.NDArray, Tensor>).forward(input)).value;
      const theirs = (await session.run({ input: x })).output!;
      expect([...theirs.dims]).toEqual([...ours.shape]);
      const a = ours.toTypedArray();
      const b = theirs.data as Float32Array;
      let worst = 0;
      for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
      expect(worst, `batch ${batch}`).toBeLessThan(1e-5);
    }
  } finally {
    await session.release();
  }
}

const images = (channels: number, size: number) => (batch: number) =>
  rng.normal([batch, channels, size, size]);
const vectors = (features: number) => (batch: number) => rng.normal([batch, features]);

describe('exportModule: onnxruntime agrees with our forward pass (1e-5, batch 1, 3, 17)', () => {
  const cases: [string, () => Module<never, unknown>, (batch: number) => T.NDArray][] = [
    ['Linear (Gemm)', () => new Linear(5, 3), vectors(5)],
    ['Linear on rank 3 (MatMul + Add)', () => new Linear(4, 2), (b) => rng.normal([b, 3, 4])],
    ['Conv2d with padding and stride', () => new Conv2d(2, 4, 3, { stride: 2, padding: 1 }), images(2, 9)],
    ['MaxPool2d', () => new MaxPool2d(2), images(3, 8)],
    ['ReLU, Tanh, Sigmoid', () => new Sequential(new ReLU(), new Tanh(), new Sigmoid()), vectors(6)],
    ['GELU exact and tanh', () => new Sequential(new GELU(), new GELU('tanh')), vectors(6)],
    [
      'Softmax and Dropout (removed in eval)',
      () => new Sequential(new Dropout(0.5), new Softmax()),
      vectors(7),
    ],
    ['LayerNorm', () => new LayerNorm(6), vectors(6)],
    ['Flatten', () => new Flatten(), images(2, 3)],
    ['the autograd demo MLP', () => mnistMlp({ dropout: 0.2 }), vectors(784)],
    ['the autograd demo CNN', () => mnistCnn(), images(1, 28)],
  ];
  it.each(cases)('%s', async (_name, make, sample) => {
    manualSeed(5);
    await expectSameOutputs(make(), sample);
  });

  it('BatchNorm1d and BatchNorm2d in eval mode, with trained running statistics', async () => {
    manualSeed(6);
    const bn1 = new BatchNorm1d(4);
    const bn2 = new BatchNorm2d(3);
    noGrad(() => {
      for (let i = 0; i < 5; i++) {
        bn1.forward(new Tensor(rng.normal([8, 4], 2, 3)));
        bn2.forward(new Tensor(rng.normal([4, 3, 5, 5], -1, 2)));
      }
    });
    await expectSameOutputs(bn1, vectors(4));
    await expectSameOutputs(bn2, images(3, 5));
  });

  it('Embedding takes int32 ids', async () => {
    manualSeed(7);
    await expectSameOutputs(new Embedding(10, 4), (b) =>
      T.fromArray(
        Array.from({ length: b * 3 }, (_, i) => (i * 7) % 10),
        [b, 3],
        'int32',
      ),
    );
  });

  it('writes metadata and names an unsupported module with what to do', () => {
    const bytes = exportModule(new Linear(2, 2), rng.normal([1, 2]), {
      metadata: { docString: 'doc', properties: { labels: '0,1' } },
    });
    const summary = readModel(bytes);
    expect(summary.metadata).toEqual({ labels: '0,1' });
    expect(summary.docString).toBe('doc');
    expect(summary.opsets).toEqual([{ domain: '', version: 17 }]);
    class Residual extends Module {
      forward(x: Tensor) {
        return x;
      }
    }
    expect(() => exportModule(new Sequential(new Linear(2, 2), new Residual()), rng.normal([1, 2]))).toThrow(
      'exportModule: no ONNX exporter for Residual at "layers.1"; register one with registerExporter(Residual, …)',
    );
  });
});
