import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  crossEntropy,
  globalRng,
  gradcheck,
  loadStateDict,
  manualSeed,
  mul,
  noGrad,
  reshape,
  saveStateDict,
  tensor,
} from '@mle/autograd';
import * as T from '@mle/tensor';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { tfjsGptForward, tfjsWeights } from '../bench/tfjs-gpt.js';
import { alibiSlopes, applyRotary, Block, GPT, type PositionScheme, parameterCount } from '../src/index.js';
import { randomModel, SCHEMES, tinyConfig } from './random-model.js';

const config = tinyConfig;

const ids = (rows: number[][]) => T.array(rows, 'int32');

describe('GPT against the same architecture in TensorFlow.js', () => {
  for (const positions of SCHEMES) {
    for (const bias of [true, false]) {
      it(`gives the same logits to 1e-4 with ${positions} positions${bias ? '' : ', no biases'}`, () => {
        const c = config(positions, { bias, heads: positions === 'alibi' ? 4 : 2 });
        const model = randomModel(c, 1);
        const tokens = [
          [1, 5, 2, 9, 0, 3, 3, 10],
          [4, 4, 7, 1, 8, 2, 6, 0],
        ];
        const ours = noGrad(() => model.forward(ids(tokens))).value.toTypedArray();
        // ALiBi's slopes as the paper lists them for 4 heads: 2^(−8/4·h).
        const slopes = [1 / 4, 1 / 16, 1 / 64, 1 / 256].slice(0, c.heads);
        const state = model.stateDict();
        const theirs = tf.tidy(() => {
          const weights = tfjsWeights(state, (t) => t);
          const oneHot = tf
            .oneHot(tf.tensor2d(tokens, undefined, 'int32'), c.vocabSize)
            .toFloat() as tf.Tensor3D;
          return tfjsGptForward(
            (name) => weights.get(name)!,
            (name) => weights.has(name),
            c,
            slopes,
            oneHot,
          ).dataSync();
        });
        expect(ours.length).toBe(2 * 8 * 11);
        let worst = 0;
        for (let i = 0; i < ours.length; i++) worst = Math.max(worst, Math.abs(ours[i]! - theirs[i]!));
        expect(worst).toBeLessThan(1e-4);
      });
    }
  }
});

describe('gradients in float64 (2 layers, 2 heads, width 8, context 6)', () => {
  const tiny = (positions: PositionScheme, dropout = 0) =>
    config(positions, { vocabSize: 5, contextLength: 6, width: 8, dropout });
  const tokens = ids([
    [0, 3, 1, 4, 2, 2],
    [4, 1, 1, 0, 3, 2],
  ]);
  const targets = T.array([3, 1, 4, 2, 2, 0, 1, 1, 0, 3, 2, 4], 'int32');

  for (const positions of SCHEMES) {
    it(`every parameter of the whole model passes gradcheck with ${positions} positions`, () => {
      const model = randomModel(tiny(positions), 2).to('float64');
      const loss = () => crossEntropy(reshape(model.forward(tokens), [12, 5]), targets);
      const result = gradcheck(loss, model.parameters());
      expect(result.maxRelativeError).toBeLessThan(1e-6);
    });
  }

  it('with dropout in training mode (the same masks on every call)', () => {
    const model = randomModel(tiny('rope', 0.2), 3).to('float64').train();
    const loss = () => {
      manualSeed(5);
      return crossEntropy(reshape(model.forward(tokens), [12, 5]), targets);
    };
    expect(gradcheck(loss, model.parameters()).maxRelativeError).toBeLessThan(1e-6);
  });

  it('a block passes gradcheck for its input and its parameters', () => {
    for (const positions of SCHEMES) {
      manualSeed(4);
      const block = new Block(tiny(positions)).to('float64');
      for (const p of block.parameters()) p.value.assign(globalRng().normal([...p.shape], 0, 0.3, 'float64'));
      const x = tensor(globalRng().normal([2, 6, 8], 0, 1, 'float64'), { requiresGrad: true });
      const probe = tensor(globalRng().normal([2, 6, 8], 0, 1, 'float64'));
      const result = gradcheck(
        (input) => mul(block.forward(input!), probe).sum(),
        [x, ...block.parameters()],
      );
      expect(result.maxRelativeError).toBeLessThan(1e-6);
    }
  });
});

describe('positions', () => {
  it('rotary: the score of a rotated query and key depends only on their distance (RoFormer §3.4.2)', () => {
    const rng = new T.Rng(9);
    const q = rng.normal([1, 1, 1, 8], 0, 1, 'float64');
    const k = rng.normal([1, 1, 1, 8], 0, 1, 'float64');
    const score = (m: number, n: number) => {
      const qm = applyRotary(tensor(q), m).value.toTypedArray();
      const kn = applyRotary(tensor(k), n).value.toTypedArray();
      return Array.from(qm).reduce((s, v, i) => s + v * kn[i]!, 0);
    };
    for (const [m, n] of [
      [5, 2],
      [3, 3],
      [0, 7],
    ] as const) {
      for (const shift of [1, 10, 100]) expect(score(m + shift, n + shift)).toBeCloseTo(score(m, n), 10);
    }
    // …and it does depend on the distance: the rotation is not the identity.
    expect(Math.abs(score(5, 2) - score(5, 3))).toBeGreaterThan(1e-3);
    // A rotation keeps lengths.
    const rotated = applyRotary(tensor(q), 17).value.toTypedArray();
    const norm = (a: ArrayLike<number>) => Math.hypot(...Array.from(a));
    expect(norm(rotated)).toBeCloseTo(norm(q.toTypedArray()), 12);
  });

  it('rotary at offset t equals the rotation of a longer sequence at position t (what the cache relies on)', () => {
    const x = new T.Rng(1).normal([1, 2, 5, 4], 0, 1, 'float64');
    const whole = applyRotary(tensor(x), 0).value;
    const tail = applyRotary(tensor(x.slice(null, null, { start: 3 }).clone()), 3).value;
    expect(Array.from(tail.toTypedArray())).toEqual(
      Array.from(whole.slice(null, null, { start: 3 }).toTypedArray()),
    );
  });

  it("ALiBi's slopes are the paper's geometric sequence, and its code's interleaving between powers of two", () => {
    expect(alibiSlopes(8)).toEqual([1 / 2, 1 / 4, 1 / 8, 1 / 16, 1 / 32, 1 / 64, 1 / 128, 1 / 256]);
    // 6 heads: the 4 slopes of 4 heads, then slopes 1 and 3 of 8 heads' (every other one).
    expect(alibiSlopes(6)).toEqual([1 / 4, 1 / 16, 1 / 64, 1 / 256, 1 / 2, 1 / 8]);
    expect(() => alibiSlopes(0)).toThrow('heads must be a positive integer');
  });
});

describe('state dict and config', () => {
  it('a saved and reloaded state dict reproduces the logits bit for bit', () => {
    const model = randomModel(config('rope'), 6);
    const path = join(mkdtempSync(join(tmpdir(), 'gpt-')), 'model');
    saveStateDict(model.stateDict(), path);
    manualSeed(99);
    const other = new GPT(config('rope')).eval();
    other.loadStateDict(loadStateDict(path));
    const x = ids([[1, 2, 3, 4, 5, 6, 7, 8]]);
    const a = noGrad(() => model.forward(x)).value.toTypedArray();
    const b = noGrad(() => other.forward(x)).value.toTypedArray();
    expect(Buffer.from(b.buffer).equals(Buffer.from(a.buffer))).toBe(true);
  });

  it('loading weights of another shape names the tensor and both shapes', () => {
    const small = randomModel(config('learned'), 1);
    const wide = new GPT(config('learned', { width: 24 }));
    expect(() => wide.loadStateDict(small.stateDict())).toThrow(
      'loadStateDict: tokenEmbedding.weight has shape [11,16] in the state, [11,24] in the model',
    );
  });

  it('counts its parameters as the modules hold them (the LM head shares the embedding)', () => {
    for (const positions of SCHEMES) {
      for (const bias of [true, false]) {
        const c = config(positions, { bias });
        const held = new GPT(c).parameters().reduce((n, p) => n + p.size, 0);
        expect(parameterCount(c)).toBe(held);
      }
    }
  });

  it('names a config it cannot build, and input it cannot read', () => {
    expect(() => new GPT(config('learned', { width: 15 }))).toThrow('width 15 is not divisible by heads 2');
    expect(() => new GPT(config('rope', { width: 6, heads: 2 }))).toThrow('head width must be even, got 3');
    expect(() => new GPT(config('learned', { dropout: 1 }))).toThrow('dropout must be in [0, 1), got 1');
    expect(() => new GPT(config('sinusoidal' as PositionScheme))).toThrow(
      'positions must be one of learned, rope, alibi',
    );
    const model = new GPT(config('learned'));
    expect(() => model.forward(ids([[1, 11]]))).toThrow('token id 11 at 1 is outside the vocabulary 0..10');
    expect(() => model.forward(T.array([1, 2], 'int32'))).toThrow('ids must be [batch, time], got [2]');
    expect(() => model.forward(ids([Array.from({ length: 9 }, () => 1)]))).toThrow(
      'positions 0..8 run past the learned table of 8',
    );
  });
});
