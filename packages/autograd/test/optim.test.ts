import * as T from '@mle/tensor';
import { describe, expect, it } from 'vitest';
import {
  Adam,
  AdamW,
  CosineAnnealingLR,
  clipGradNorm,
  LinearWarmup,
  type Optimizer,
  Parameter,
  RMSProp,
  SGD,
  SparseAdam,
  StepLR,
} from '../src/index.js';

/** One scalar parameter θ₀ = 1 whose gradient at each step is given. */
function run(make: (p: Parameter[]) => Optimizer, grads: number[]): number[] {
  const p = new Parameter(T.array([1], 'float64'));
  const opt = make([p]);
  return grads.map((g) => {
    p.grad = T.array([g], 'float64');
    opt.step();
    return p.value.data[0]!;
  });
}

describe('optimizers: two steps against updates computed by hand', () => {
  it('SGD with weight decay', () => {
    // g' = g + 0.1θ: θ1 = 1 − 0.5(0.2 + 0.1) = 0.85; θ2 = 0.85 − 0.5(0.4 + 0.085) = 0.6075
    expect(run((p) => new SGD(p, { lr: 0.5, weightDecay: 0.1 }), [0.2, 0.4])).toEqual(
      [0.85, 0.6075].map((v) => expect.closeTo(v, 12)),
    );
  });
  it('SGD with momentum 0.9, heavy ball and Nesterov', () => {
    // v1 = 0.2, θ1 = 1 − 0.1·0.2 = 0.98; v2 = 0.9·0.2 + 0.4 = 0.58, θ2 = 0.98 − 0.058 = 0.922
    expect(run((p) => new SGD(p, { lr: 0.1, momentum: 0.9 }), [0.2, 0.4])).toEqual(
      [0.98, 0.922].map((v) => expect.closeTo(v, 12)),
    );
    // Nesterov: step with g + μv: θ1 = 1 − 0.1(0.2 + 0.18) = 0.962; θ2 = 0.962 − 0.1(0.4 + 0.522) = 0.8698
    expect(run((p) => new SGD(p, { lr: 0.1, momentum: 0.9, nesterov: true }), [0.2, 0.4])).toEqual(
      [0.962, 0.8698].map((v) => expect.closeTo(v, 12)),
    );
  });
  it('RMSProp', () => {
    // s1 = 0.01·0.04 = 4e-4, θ1 = 1 − 0.01·0.2/0.02 = 0.9; s2 = 0.99·4e-4 + 0.01·0.16 = 1.996e-3, θ2 = 0.9 − 0.01·0.4/√1.996e-3
    const expected2 = 0.9 - (0.01 * 0.4) / Math.sqrt(1.996e-3);
    expect(run((p) => new RMSProp(p, { lr: 0.01, eps: 0 }), [0.2, 0.4])).toEqual(
      [0.9, expected2].map((v) => expect.closeTo(v, 10)),
    );
  });
  it('Adam with bias correction', () => {
    // step 1: m = 0.02, v = 4e-5; m̂ = 0.2, v̂ = 0.04 → θ1 = 1 − 0.1·0.2/0.2 = 0.9 (the first step is always lr·sign(g))
    // step 2: m = 0.058, v = 0.999·4e-5 + 0.001·0.16 = 1.9996e-4; m̂ = 0.058/0.19, v̂ = 1.9996e-4/1.999e-3
    const m2 = 0.058 / 0.19;
    const v2 = 1.9996e-4 / (1 - 0.999 ** 2);
    expect(run((p) => new Adam(p, { lr: 0.1, eps: 0 }), [0.2, 0.4])).toEqual(
      [0.9, 0.9 - (0.1 * m2) / Math.sqrt(v2)].map((v) => expect.closeTo(v, 10)),
    );
  });
  it('SparseAdam: a row with a gradient takes Adam’s step, an untouched row stays as it was, moments and all', () => {
    const table = new Parameter(
      T.array([
        [1, 1],
        [2, 2],
        [3, 3],
      ]),
    );
    const adam = new Parameter(T.array([[1, 1]]));
    const sparse = new SparseAdam([table], { lr: 0.1, eps: 0 });
    const dense = new Adam([adam], { lr: 0.1, eps: 0 });
    for (const g of [
      [0.2, -0.2],
      [0.4, 0.1],
    ]) {
      table.grad = T.array([g, [0, 0], [0, 0]]);
      adam.grad = T.array([g]);
      sparse.step();
      dense.step();
    }
    const rows = table.value.toArray() as number[][];
    expect(rows[0]).toEqual((adam.value.toArray() as number[][])[0]!.map((v) => expect.closeTo(v, 6)));
    expect(rows.slice(1)).toEqual([
      [2, 2],
      [3, 3],
    ]);
    // The third step touches row 1 for the first time: Adam's first step there, lr·sign(g), bias-corrected at step 3.
    table.grad = T.array([
      [0, 0],
      [0.3, -0.3],
      [0, 0],
    ]);
    sparse.step();
    const c1 = 1 - 0.9 ** 3;
    const c2 = 1 - 0.999 ** 3;
    const first = (0.1 * (0.1 * 0.3)) / c1 / Math.sqrt((0.001 * 0.09) / c2);
    expect((table.value.toArray() as number[][])[1]).toEqual(
      [2 - first, 2 + first].map((v) => expect.closeTo(v, 6)),
    );
  });

  it('AdamW decays the weights directly, Adam adds the decay to the gradient', () => {
    // AdamW step 1: θ = 1 − 0.1·0.5·1 = 0.95, then − 0.1·sign(g) = 0.85
    expect(run((p) => new AdamW(p, { lr: 0.1, weightDecay: 0.5, eps: 0 }), [0.2])[0]).toBeCloseTo(0.85, 12);
    // Adam with L2: g' = 0.2 + 0.5 = 0.7, first step − lr·sign(g') = 0.9
    expect(run((p) => new Adam(p, { lr: 0.1, weightDecay: 0.5, eps: 0 }), [0.2])[0]).toBeCloseTo(0.9, 12);
  });
});

describe('optimizer state', () => {
  it('an Adam restored from its state dict takes the same steps as the one that kept going', () => {
    const gradients = [0.3, -0.2, 0.5, 0.1, -0.4, 0.25];
    const make = () => {
      const p = new Parameter(T.array([1, -2, 0.5], 'float64'));
      return { p, opt: new AdamW([p], { lr: 0.05, weightDecay: 0.1 }) };
    };
    const stepWith = ({ p, opt }: ReturnType<typeof make>, g: number) => {
      p.grad = T.array([g, -g, 2 * g], 'float64');
      opt.step();
    };
    const straight = make();
    for (const g of gradients) stepWith(straight, g);
    const first = make();
    for (const g of gradients.slice(0, 3)) stepWith(first, g);
    const resumed = make();
    resumed.p.value.assign(first.p.value);
    resumed.opt.loadStateDict(first.opt.stateDict());
    for (const g of gradients.slice(3)) stepWith(resumed, g);
    expect(Array.from(resumed.p.value.toTypedArray())).toEqual(Array.from(straight.p.value.toTypedArray()));
    // Without the state, the moments start from zero and the path differs.
    const fresh = make();
    fresh.p.value.assign(first.p.value);
    for (const g of gradients.slice(3)) stepWith(fresh, g);
    expect(Array.from(fresh.p.value.toTypedArray())).not.toEqual(Array.from(straight.p.value.toTypedArray()));
  });

  it('refuses a state for other parameters, naming the entry', () => {
    const p = new Parameter(T.array([1, 2], 'float64'));
    const opt = new Adam([p], { lr: 0.1 });
    expect(() => opt.loadStateDict(new Map([['3.m', T.zeros([2])]]))).toThrow(
      '"3.m" names no parameter of the 1',
    );
    expect(() => opt.loadStateDict(new Map([['0.m', T.zeros([5])]]))).toThrow(
      '"0.m" has 5 values, parameter 0 of shape [2] has 2',
    );
  });
});

describe('gradient clipping and schedules', () => {
  it('clips the global norm and reports the norm before clipping', () => {
    const a = new Parameter(T.array([3], 'float64'));
    const b = new Parameter(T.array([4], 'float64'));
    a.grad = T.array([3], 'float64');
    b.grad = T.array([4], 'float64');
    expect(clipGradNorm([a, b], 1)).toBe(5);
    expect(a.grad.item()).toBeCloseTo(0.6, 6);
    expect(b.grad.item()).toBeCloseTo(0.8, 6);
    b.grad = T.array([Number.NaN], 'float64');
    expect(() => clipGradNorm([a, b], 1)).toThrow('clipGradNorm: the gradient norm is NaN');
  });

  it('StepLR, cosine and warm-up follow their formulas', () => {
    const opt = () => new SGD([new Parameter(T.array([0]))], { lr: 1 });
    const step = new StepLR(opt(), { stepSize: 2, gamma: 0.5 });
    const cosine = new CosineAnnealingLR(opt(), { tMax: 4 });
    const warm = new LinearWarmup(opt(), { warmup: 4 });
    const seq = (s: { step(): void; lr: number }, n: number) =>
      Array.from({ length: n }, () => {
        s.step();
        return s.lr;
      });
    expect(seq(step, 4)).toEqual([1, 0.5, 0.5, 0.25]);
    expect(seq(cosine, 4).map((v) => Number(v.toFixed(6)))).toEqual([0.853553, 0.5, 0.146447, 0]);
    expect(warm.lr).toBe(0.25);
    expect(seq(warm, 4)).toEqual([0.5, 0.75, 1, 1]);
  });

  it('refuses a bad configuration', () => {
    expect(() => new SGD([], { lr: 0.1 })).toThrow('SGD: no parameters to optimize');
    expect(() => new Adam([new Parameter(T.array([0]))], { lr: 0 })).toThrow(
      'Adam: learning rate must be positive, got 0',
    );
    expect(() => new SGD([new Parameter(T.array([0]))], { lr: 0.1, nesterov: true })).toThrow(
      'Nesterov needs momentum',
    );
  });
});
