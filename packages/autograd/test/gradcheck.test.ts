import * as T from '@mle/tensor';
import { describe, expect, it } from 'vitest';
import {
  BatchNorm1d,
  BatchNorm2d,
  bceWithLogits,
  Conv2d,
  concat,
  crossEntropy,
  Embedding,
  embeddingBag,
  GELU,
  gather,
  gradcheck,
  LayerNorm,
  Linear,
  logSoftmax,
  logsumexp,
  MaxPool2d,
  type Module,
  manualSeed,
  max,
  maximum,
  min,
  minimum,
  mseLoss,
  Sequential,
  slice,
  softmax,
  stack,
  std,
  Tanh,
  Tensor,
  take,
  variance,
  where,
} from '../src/index.js';

const rng = new T.Rng(2024);
/** A float64 leaf tensor that requires a gradient, values away from the kinks of relu/abs/max. */
const leaf = (shape: number[], scale = 1) =>
  new Tensor(rng.normal(shape, 0, scale, 'float64'), { requiresGrad: true });
/** A fixed random projection turns any output into a scalar whose gradient reaches every element. */
const project = (out: Tensor) =>
  out.mul(new Tensor(new T.Rng(out.size).normal([...out.shape], 0, 1, 'float64'))).sum();

const expectPasses = (fn: (...xs: Tensor[]) => Tensor, inputs: Tensor[]) => {
  const result = gradcheck((...xs) => project(fn(...xs)), inputs);
  expect(result.maxRelativeError).toBeLessThan(1e-6);
};

describe('gradcheck: every differentiable op (float64, relative error < 1e-6)', () => {
  const cases: [string, () => [(...xs: Tensor[]) => Tensor, Tensor[]]][] = [
    ['add with broadcasting', () => [(a, b) => a.add(b), [leaf([3, 4]), leaf([4])]]],
    ['sub with broadcasting', () => [(a, b) => a.sub(b), [leaf([2, 1, 3]), leaf([4, 1])]]],
    ['mul with broadcasting', () => [(a, b) => a.mul(b), [leaf([3, 1]), leaf([1, 5])]]],
    [
      'div',
      () => [
        (a, b) => a.div(b),
        [
          leaf([3, 4]),
          new Tensor(T.add(T.abs(rng.normal([3, 4], 0, 1, 'float64')), 0.5), { requiresGrad: true }),
        ],
      ],
    ],
    ['pow', () => [(a) => a.abs().add(0.1).pow(3), [leaf([5])]]],
    ['neg, exp, log, sqrt', () => [(a) => a.neg().exp().add(1).log().sqrt(), [leaf([6])]]],
    ['tanh, sigmoid, relu', () => [(a) => a.tanh().add(a.sigmoid()).add(a.relu()), [leaf([7])]]],
    ['gelu (exact and tanh)', () => [(a) => a.gelu().add(a.gelu({ approximate: 'tanh' })), [leaf([8])]]],
    ['maximum', () => [(a, b) => maximum(a, b), [leaf([6]), leaf([6])]]],
    ['matmul 2-D', () => [(a, b) => a.matmul(b), [leaf([3, 4]), leaf([4, 2])]]],
    ['matmul batched, broadcast', () => [(a, b) => a.matmul(b), [leaf([2, 3, 4]), leaf([4, 5])]]],
    ['matmul 1-D operands', () => [(a, b) => a.matmul(b), [leaf([4]), leaf([4, 3])]]],
    [
      'sum and mean over axes',
      () => [
        (a) => a.sum({ axis: 1, keepdims: true }).add(a.mean({ axis: [0, 2], keepdims: true })),
        [leaf([2, 3, 4])],
      ],
    ],
    ['max over an axis', () => [(a) => max(a, { axis: 1 }), [leaf([3, 5])]]],
    [
      'variance and std',
      () => [(a) => variance(a, { axis: 0 }).add(std(a, { axis: 1, keepdims: true }).sum()), [leaf([5, 3])]],
    ],
    [
      'min and minimum',
      () => [(a, b) => min(a, { axis: 0 }).add(minimum(a, b).sum({ axis: 0 })), [leaf([4, 3]), leaf([4, 3])]],
    ],
    ['logsumexp', () => [(a) => logsumexp(a, { axis: -1 }), [leaf([3, 4], 3)]]],
    ['softmax', () => [(a) => softmax(a, 0), [leaf([4, 3])]]],
    ['logSoftmax', () => [(a) => logSoftmax(a, 1), [leaf([3, 4], 3)]]],
    ['reshape, transpose', () => [(a) => a.reshape(4, 6).transpose().reshape(2, 12), [leaf([2, 3, 4])]]],
    ['slice with a step', () => [(a) => slice(a, { start: 1 }, { step: 2 }), [leaf([3, 5])]]],
    [
      'concat and stack',
      () => [
        (a, b) => concat([a, b], 1).add(stack([a, a], 0).sum({ axis: 0 }).sum({ axis: 1, keepdims: true })),
        [leaf([2, 3]), leaf([2, 2])],
      ],
    ],
    ['where', () => [(a, b) => where(T.greater(a.value, 0), a, b), [leaf([6]), leaf([6])]]],
    [
      'gather (take along axis)',
      () => [(a) => gather(a, T.array([[2], [0], [1]], 'int32'), 1), [leaf([3, 4])]],
    ],
    [
      'embeddingBag: weighted sums of rows, a row picked twice, a padded slot',
      () => [
        (a) =>
          embeddingBag(
            a,
            T.array(
              [
                [1, 1, 0],
                [3, 2, 0],
              ],
              'int32',
            ),
            T.array([
              [0.5, 0.25, 2],
              [1 / 3, -1, 0],
            ]),
          ),
        [leaf([4, 3])],
      ],
    ],
    ['take with repeated indices', () => [(a) => take(a, T.array([1, 0, 1], 'int32'), 0), [leaf([3, 2])]]],
    [
      'take along axis 1 with 2-D and negative indices',
      () => [
        (a) =>
          take(
            a,
            T.array(
              [
                [2, -1],
                [0, 2],
              ],
              'int32',
            ),
            1,
          ),
        [leaf([3, 4])],
      ],
    ],
  ];
  it.each(cases)('%s', (_name, make) => {
    const [fn, inputs] = make();
    expectPasses(fn, inputs);
  });

  it('embeddingBag equals take, a weighted product and a sum, and names a bad index', () => {
    const table = leaf([5, 3]);
    const indices = T.array(
      [
        [4, 0],
        [2, 2],
      ],
      'int32',
    );
    const weights = T.array([
      [0.5, 0.5],
      [1, 0],
    ]);
    const viaTake = take(table, indices, 0)
      .mul(new Tensor(weights.reshape([2, 2, 1]).astype('float64')))
      .sum({ axis: 1 });
    expect(Array.from(embeddingBag(table, indices, weights).value.toTypedArray())).toEqual(
      Array.from(viaTake.value.toTypedArray()),
    );
    expect(() => embeddingBag(table, T.array([[5]], 'int32'), T.array([[1]]))).toThrow(
      'embeddingBag: index 5 at bag 0 is outside the table',
    );
  });
});

describe('gradcheck: losses and modules', () => {
  /** The module in float64 (finite differences need the digits), and its parameters as gradcheck inputs. */
  const withFloat64 = <M extends Module<never, Tensor>>(m: M): [M, Tensor[]] => [
    m.to('float64'),
    m.parameters(),
  ];

  it('cross-entropy from logits', () => {
    expectPasses((z) => crossEntropy(z, [2, 0, 1]), [leaf([3, 4], 2)]);
  });
  it('MSE and BCE with logits', () => {
    const target = rng.normal([4], 0, 1, 'float64');
    expectPasses((p) => mseLoss(p, new Tensor(target)), [leaf([4])]);
    expectPasses((z) => bceWithLogits(z, T.array([0, 1, 1, 0], 'float64')), [leaf([4], 2)]);
  });

  const modules: [string, () => Module, number[]][] = [
    ['Linear', () => new Linear(4, 3), [2, 4]],
    ['Conv2d (stride 1, padding 1)', () => new Conv2d(2, 3, 3, { padding: 1 }), [2, 2, 5, 5]],
    ['Conv2d (stride 2)', () => new Conv2d(1, 2, 3, { stride: 2 }), [1, 1, 7, 7]],
    ['MaxPool2d', () => new MaxPool2d(2), [1, 2, 4, 4]],
    ['BatchNorm1d (training)', () => new BatchNorm1d(3), [5, 3]],
    ['BatchNorm2d (training)', () => new BatchNorm2d(2), [3, 2, 2, 2]],
    ['LayerNorm', () => new LayerNorm(4), [3, 4]],
    [
      'GELU and Tanh in a Sequential',
      () => new Sequential(new Linear(3, 4), new GELU(), new Linear(4, 2), new Tanh()),
      [2, 3],
    ],
  ];
  it.each(modules)('%s: input and every parameter', (_name, make, shape) => {
    manualSeed(3);
    const [module, params] = withFloat64(make());
    const x = leaf(shape);
    expectPasses((input) => module.forward(input), [x, ...params]);
  });

  it('Embedding', () => {
    manualSeed(4);
    const emb = new Embedding(5, 3);
    const [, params] = withFloat64(emb);
    expectPasses(() => emb.forward(T.array([4, 1, 4], 'int32')), params);
  });
});
