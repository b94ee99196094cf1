import * as T from '@mle/tensor';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { relu, Tensor, tensor } from '../src/index.js';

// tfjs's own autodiff (tf.grads) is the independent reference, as PyTorch is in micrograd's tests.
beforeAll(async () => {
  tf.env().set('IS_TEST', true); // silences the "install tfjs-node" notice
  await tf.setBackend('cpu');
});

describe('golden tests against tfjs gradients', () => {
  it("micrograd's expression: same value and gradients as tfjs and as micrograd's README", () => {
    const ours = (a: Tensor, b: Tensor) => {
      let c = a.add(b);
      let d = a.mul(b).add(b.pow(3));
      c = c.add(c.add(1));
      c = c.add(c.add(1).sub(a));
      d = d.add(d.mul(2).add(relu(b.add(a))));
      d = d.add(d.mul(3).add(relu(b.sub(a))));
      const e = c.sub(d);
      const f = e.pow(2);
      let g = f.div(2);
      g = g.add(new Tensor(T.full([], 10, 'float64')).div(f));
      return g;
    };
    const a = tensor(-4, { dtype: 'float64', requiresGrad: true });
    const b = tensor(2, { dtype: 'float64', requiresGrad: true });
    const g = ours(a, b);
    g.backward();

    const theirs = (x: tf.Tensor, y: tf.Tensor) => {
      let c = x.add(y);
      let d = x.mul(y).add(y.pow(3));
      c = c.add(c.add(1));
      c = c.add(c.add(1).sub(x));
      d = d.add(d.mul(2).add(tf.relu(y.add(x))));
      d = d.add(d.mul(3).add(tf.relu(y.sub(x))));
      const e = c.sub(d);
      const f = e.pow(2);
      return f.div(2).add(tf.scalar(10).div(f));
    };
    const [ga, gb] = tf.grads(theirs)([tf.scalar(-4), tf.scalar(2)]);
    const value = theirs(tf.scalar(-4), tf.scalar(2)).dataSync()[0]!;
    const rel = (x: number, y: number) => Math.abs(x - y) / Math.abs(y);
    expect(rel(g.item(), value)).toBeLessThan(1e-5);
    expect(rel(a.grad!.item(), ga!.dataSync()[0]!)).toBeLessThan(1e-5);
    expect(rel(b.grad!.item(), gb!.dataSync()[0]!)).toBeLessThan(1e-5);
    // micrograd's README: g = 24.7041, dg/da = 138.8338, dg/db = 645.5773
    expect(g.item()).toBeCloseTo(24.7041, 4);
    expect(a.grad!.item()).toBeCloseTo(138.8338, 4);
    expect(b.grad!.item()).toBeCloseTo(645.5773, 4);
  });

  it('a two-layer net with softmax cross-entropy: loss and every gradient agree with tf.grads', () => {
    const rng = new T.Rng(5);
    const x = rng.normal([4, 3], 0, 1, 'float64');
    const w1 = rng.normal([3, 5], 0, 1, 'float64');
    const b1 = rng.normal([5], 0, 1, 'float64');
    const w2 = rng.normal([5, 2], 0, 1, 'float64');
    const labels = [0, 1, 1, 0];

    const params = [w1, b1, w2].map((v) => new Tensor(v.clone(), { requiresGrad: true }));
    const [W1, B1, W2] = params as [Tensor, Tensor, Tensor];
    const logits = new Tensor(x).matmul(W1).add(B1).tanh().matmul(W2);
    const picked = logits.logSoftmax(1).mul(new Tensor(T.oneHot(labels, 2, 'float64')));
    const loss = picked.sum().div(-labels.length);
    loss.backward();

    const toTf = (a: T.NDArray) => tf.tensor(Array.from(a.toTypedArray()), [...a.shape]);
    const tfLoss = (tw1: tf.Tensor, tb1: tf.Tensor, tw2: tf.Tensor) =>
      tf
        .logSoftmax(tf.matMul(tf.tanh(tf.matMul(toTf(x), tw1).add(tb1)), tw2))
        .mul(tf.oneHot(tf.tensor1d(labels, 'int32'), 2))
        .sum()
        .div(-labels.length);
    const reference = tf.grads(tfLoss)([toTf(w1), toTf(b1), toTf(w2)]);
    expect(Math.abs(loss.item() - tfLoss(toTf(w1), toTf(b1), toTf(w2)).dataSync()[0]!)).toBeLessThan(1e-5);
    params.forEach((p, i) => {
      const theirs = reference[i]!.dataSync();
      Array.from(p.grad!.toTypedArray()).forEach((v, k) =>
        expect(Math.abs(v - theirs[k]!)).toBeLessThan(1e-5),
      );
    });
  });
});
