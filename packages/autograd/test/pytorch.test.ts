// Graph semantics, optimizers and special cases against PyTorch on the same float64 inputs. The reference values
// are in fixtures/pytorch-reference.json, written by fixtures/pytorch-reference.py (which says how to rerun it).
import { readFileSync } from 'node:fs';
import * as T from '@mle/tensor';
import { describe, expect, it } from 'vitest';
import {
  Adam,
  AdamW,
  conv2d,
  gelu,
  noGrad,
  type Optimizer,
  Parameter,
  pow,
  std,
  Tensor,
  tensor,
} from '../src/index.js';

const torch = JSON.parse(readFileSync(new URL('./fixtures/pytorch-reference.json', import.meta.url), 'utf8'));
const f64 = (values: number[]) => tensor(values, { dtype: 'float64', requiresGrad: true });
const gradOf = (t: Tensor) => Array.from(t.grad!.toTypedArray());

function expectClose(actual: ArrayLike<number>, expected: readonly number[], tolerance = 1e-12) {
  expect(actual.length).toBe(expected.length);
  Array.from(actual).forEach((v, i) => {
    const e = expected[i]!;
    expect(Math.abs(v - e), `[${i}]: ${v} vs ${e}`).toBeLessThanOrEqual(tolerance * Math.max(1, Math.abs(e)));
  });
}

describe('backward through a graph, as PyTorch', () => {
  it('a second backward through a released graph is an error that says how to keep it', () => {
    expect(torch.releasedRaises).toBe(true);
    const a = f64([3]);
    const y = a.mul(a);
    y.sum().backward();
    expect(() => y.sum().backward()).toThrow(
      'backward: the graph through mul was released by an earlier backward(); to backward through it again, call the first backward({ retainGraph: true })',
    );
    // Nothing was accumulated by the refused pass, and y is still not a leaf.
    expect(gradOf(a)).toEqual([6]);
    expect(y.isLeaf).toBe(false);
    // A new graph built on the released one is refused too.
    expect(() => y.mul(2).sum().backward()).toThrow('released by an earlier backward()');
  });

  it('retaining the graph accumulates across two passes without zeroing', () => {
    const a = f64([torch.retainTwice.a]);
    const y = a.mul(a);
    y.sum().backward({ retainGraph: true });
    y.sum().backward();
    expect(gradOf(a)).toEqual([torch.retainTwice.grad]);
  });

  it('calls onLeafGrad once per leaf, when its gradient is complete, the output side first', () => {
    const x = f64([1, 2]);
    const w1 = f64([0.5, -1]);
    const w2 = f64([2, 3]);
    // w1 feeds two paths (through w2, and squared on its own): its hook must wait for both; w2 is nearer the output.
    const h = w1.mul(x);
    const out = h.mul(w2).sum().add(w1.mul(w1).sum());
    const seen: { leaf: Tensor; grad: number[] }[] = [];
    out.backward({ onLeafGrad: (leaf) => seen.push({ leaf, grad: gradOf(leaf) }) });
    expect(seen).toHaveLength(3);
    expect(new Set(seen.map((s) => s.leaf))).toEqual(new Set([x, w1, w2]));
    expect(seen.findIndex((s) => s.leaf === w2)).toBeLessThan(seen.findIndex((s) => s.leaf === w1));
    for (const { leaf, grad } of seen) expect(grad).toEqual(gradOf(leaf));
    expect(gradOf(w1)).toEqual([1 * 2 + 2 * 0.5, 2 * 3 + 2 * -1]);
  });

  it('two losses sharing a subgraph', () => {
    const { a: av, b: bv, gradA, gradB } = torch.sharedSubgraph;
    const a = f64(av);
    const b = f64(bv);
    const h = a.mul(b);
    h.sum().backward({ retainGraph: true });
    h.mul(h).sum().backward();
    expectClose(gradOf(a), gradA);
    expectClose(gradOf(b), gradB);
  });

  it('backward inside noGrad still flows through the graph recorded before it', () => {
    const x = f64(torch.backwardInNoGrad.x);
    const y = x.exp().mul(x).sum();
    noGrad(() => y.backward());
    expectClose(gradOf(x), torch.backwardInNoGrad.grad);
    // ...but a graph built inside noGrad records nothing to backward through.
    const z = noGrad(() => x.mul(x).sum());
    expect(() => z.backward()).toThrow('does not require a gradient');
  });
});

describe('optimizers count steps per parameter, as PyTorch', () => {
  const run = (make: (params: Parameter[]) => Optimizer, reference: typeof torch.adam) => {
    const p = new Parameter(T.array(reference.p0, 'float64'));
    const q = new Parameter(T.array(reference.q0, 'float64'));
    const optimizer = make([p, q]);
    reference.trace.forEach((expected: { p: number[]; q: number[] }, i: number) => {
      const step = i + 1;
      optimizer.zeroGrad();
      let loss = p.mul(p).sum();
      if (step % 3 === 0) loss = loss.add(q.mul(q).mul(q).sum()); // q has a gradient on steps 3 and 6 only
      loss.backward();
      optimizer.step();
      expectClose(p.value.toTypedArray(), expected.p, 1e-12);
      expectClose(q.value.toTypedArray(), expected.q, 1e-12);
    });
  };

  it('Adam: a parameter that sat out steps gets its own bias correction', () => {
    run((params) => new Adam(params, { lr: 0.1 }), torch.adam);
  });

  it('AdamW, with decoupled weight decay applied only on the steps a parameter has a gradient', () => {
    run((params) => new AdamW(params, { lr: 0.1, weightDecay: 0.01 }), torch.adamw);
  });
});

describe('special cases', () => {
  it('exact GELU in float64 is exact to float64, with its gradient', () => {
    const x = f64(torch.gelu.x);
    const y = gelu(x);
    y.sum().backward();
    expectClose(y.value.toTypedArray(), torch.gelu.y, 4e-16);
    expectClose(gradOf(x), torch.gelu.grad, 4e-16);
  });

  it('the gradient of x^0 is 0, also at x = 0', () => {
    const x = f64(torch.powZero.x);
    pow(x, 0).sum().backward();
    expect(gradOf(x)).toEqual(torch.powZero.grad);
  });

  it('std with ddof 1 is PyTorch’s unbiased std, with its gradient', () => {
    const x = new Tensor(T.fromArray(torch.stdDdof1.x, torch.stdDdof1.shape, 'float64'), {
      requiresGrad: true,
    });
    const s = std(x, { axis: 1, ddof: 1 });
    s.sum().backward();
    expectClose(s.value.toTypedArray(), torch.stdDdof1.y);
    expectClose(gradOf(x), torch.stdDdof1.grad);
    expect(() => std(x, { axis: 1, ddof: 3 })).toThrow('3 elements with ddof 3 leave no degrees of freedom');
  });

  it('an option a function does not implement is an error, never a different computation', () => {
    const x = new Tensor(T.zeros([1, 1, 5, 5], 'float64'));
    const w = new Tensor(T.zeros([1, 1, 3, 3], 'float64'));
    const options = { dilation: 2 } as Parameters<typeof conv2d>[3];
    expect(() => conv2d(x, w, null, options)).toThrow(
      'conv2d: option "dilation" is not supported (supported: stride, padding)',
    );
    expect(() => std(x, { correction: 1 } as Parameters<typeof std>[1])).toThrow(
      'variance: option "correction" is not supported (supported: axis, keepdims, ddof)',
    );
  });
});
