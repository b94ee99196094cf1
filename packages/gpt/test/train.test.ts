import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crossEntropy, manualSeed, noGrad, reshape } from '@mle/autograd';
import { CharVocabulary } from '@mle/nlp';
import * as T from '@mle/tensor';
import { describe, expect, it } from 'vitest';
import {
  batchAt,
  type Corpus,
  charCorpus,
  GPT,
  type GptConfig,
  learningRateAt,
  loadCheckpoint,
  type TrainRecipe,
  trainGpt,
} from '../src/index.js';

function tinyCorpus(text: string): Corpus {
  const vocabulary = CharVocabulary.fromText(text);
  const ids = vocabulary.encode(text);
  const cut = Math.floor(ids.length * 0.8);
  return {
    name: 'tiny',
    vocabSize: vocabulary.size,
    train: ids.subarray(0, cut),
    val: ids.subarray(cut),
    valChars: ids.length - cut,
    encode: (t) => vocabulary.encode(t),
    decode: (i) => vocabulary.decode(i),
  };
}

const corpus = tinyCorpus('the cat sat on the mat. '.repeat(40));
const config = (): GptConfig => ({
  vocabSize: corpus.vocabSize,
  contextLength: 16,
  layers: 2,
  heads: 2,
  width: 16,
  dropout: 0,
  bias: false,
  positions: 'rope',
});
const recipe: TrainRecipe = {
  batchSize: 4,
  accumulation: 2,
  context: 16,
  steps: 60,
  learningRate: 1e-2,
  minLearningRate: 1e-3,
  warmupSteps: 5,
  weightDecay: 0.1,
  betas: [0.9, 0.95],
  gradClip: 1,
  evalEvery: 20,
  evalWindows: 8,
  seed: 3,
};

const freshModel = () => {
  manualSeed(1);
  return new GPT(config());
};

describe('the schedule and the batches', () => {
  it('warms up linearly, peaks, decays by a cosine to the minimum, and stays there', () => {
    const r = { ...recipe, learningRate: 1, minLearningRate: 0.1, warmupSteps: 10, steps: 110 };
    expect(learningRateAt(0, r)).toBeCloseTo(0.1, 12);
    expect(learningRateAt(4, r)).toBeCloseTo(0.5, 12);
    expect(learningRateAt(10, r)).toBeCloseTo(1, 12);
    expect(learningRateAt(60, r)).toBeCloseTo(0.55, 12);
    expect(learningRateAt(110, r)).toBe(0.1);
    expect(learningRateAt(500, r)).toBe(0.1);
  });

  it('targets are the inputs shifted by one; a batch is a function of its step alone', () => {
    const { inputs, targets } = batchAt(corpus.train, recipe, 7, 1);
    const x = Array.from(inputs.toTypedArray());
    const y = Array.from(targets.toTypedArray());
    for (let b = 0; b < recipe.batchSize; b++)
      expect(x.slice(b * 16 + 1, b * 16 + 16)).toEqual(y.slice(b * 16, b * 16 + 15));
    expect(Array.from(batchAt(corpus.train, recipe, 7, 1).inputs.toTypedArray())).toEqual(x);
    expect(Array.from(batchAt(corpus.train, recipe, 8, 1).inputs.toTypedArray())).not.toEqual(x);
  });

  it('accumulated micro-batch gradients equal the gradient of the whole batch', () => {
    const parts = [0, 1].map((micro) => batchAt(corpus.train, recipe, 2, micro));
    const lossOf = (model: GPT, inputs: T.NDArray, targets: T.NDArray) =>
      crossEntropy(reshape(model.forward(inputs), [targets.size, corpus.vocabSize]), targets);
    const accumulated = freshModel().to('float64');
    for (const { inputs, targets } of parts) lossOf(accumulated, inputs, targets).div(2).backward();
    const whole = freshModel().to('float64');
    lossOf(
      whole,
      T.concat(
        parts.map((p) => p.inputs),
        0,
      ),
      T.concat(
        parts.map((p) => p.targets),
        0,
      ),
    ).backward();
    const a = accumulated.parameters();
    whole.parameters().forEach((p, i) => {
      const g = p.grad!.toTypedArray();
      const h = a[i]!.grad!.toTypedArray();
      for (let k = 0; k < g.length; k++) expect(Math.abs(g[k]! - h[k]!)).toBeLessThan(1e-12);
    });
  });
});

describe('training', () => {
  it('learns a repeating sentence: validation loss far below the uniform guess', () => {
    const model = freshModel();
    const state = trainGpt(model, corpus, recipe);
    const first = state.history[0]!.trainLoss;
    const lastVal = state.history.at(-1)!.valLoss!;
    expect(first).toBeGreaterThan(Math.log(corpus.vocabSize) - 0.5);
    // Not 0: the first positions of a window have too little context to tell "the c" from "the m".
    expect(lastVal).toBeLessThan(0.5);
    expect(state.history.filter((p) => p.valLoss !== undefined).map((p) => p.step)).toEqual([20, 40, 60]);
  });

  it("decays the linear layers' matrices only, not norms, biases or embeddings", () => {
    const model = new GPT({ ...config(), bias: true, positions: 'learned' });
    const names = new Map(model.namedParameters().map(([n, p]) => [p, n]));
    const decayed = model.decayedParameters().map((p) => names.get(p)!);
    expect(decayed.every((n) => /\.(qkv|proj|up|down)\.weight$/.test(n))).toBe(true);
    expect(decayed).toHaveLength(2 * 4);
    expect(model.undecayedParameters().map((p) => names.get(p))).toContain('tokenEmbedding.weight');
  });

  it('a run stopped at a checkpoint and resumed continues the same curve, bit for bit', () => {
    const short = { ...recipe, steps: 8, evalEvery: 4 };
    const straight = freshModel();
    const whole = trainGpt(straight, corpus, short);
    const dir = join(mkdtempSync(join(tmpdir(), 'gpt-ckpt-')), 'run');
    const partial = freshModel();
    trainGpt(partial, corpus, short, { until: 4, checkpoint: { dir, every: 2 } });
    const { model, optimizers, info } = loadCheckpoint(dir);
    expect(info.state.step).toBe(4);
    // The checkpoint's weights give the trained model's logits bit for bit.
    const probe = batchAt(corpus.val, short, 0, 0).inputs;
    const logits = (m: GPT) => Buffer.from(noGrad(() => m.eval().forward(probe)).value.toTypedArray().buffer);
    expect(logits(model).equals(logits(partial))).toBe(true);
    const resumed = trainGpt(model, corpus, short, { resume: { state: info.state, optimizers } });
    expect(resumed.history.map((p) => [p.trainLoss, p.valLoss])).toEqual(
      whole.history.map((p) => [p.trainLoss, p.valLoss]),
    );
    const a = model.parameters().map((p) => Array.from(p.value.toTypedArray()));
    const b = straight.parameters().map((p) => Array.from(p.value.toTypedArray()));
    expect(a).toEqual(b);
  });

  it('names what is wrong with a recipe, a corpus or a checkpoint', () => {
    const model = freshModel();
    expect(() => trainGpt(model, corpus, { ...recipe, context: 32 })).toThrow(
      "context 32 is longer than the model's context length 16",
    );
    expect(() => trainGpt(model, corpus, { ...recipe, batchSize: 0 })).toThrow(
      'batchSize must be a positive integer, got 0',
    );
    expect(() => trainGpt(model, { ...corpus, vocabSize: 99 }, recipe)).toThrow('the corpus has 99 tokens');
    const empty = mkdtempSync(join(tmpdir(), 'gpt-none-'));
    expect(() => loadCheckpoint(empty)).toThrow('no checkpoint.json in');
    mkdirSync(join(empty, 'x'));
    writeFileSync(join(empty, 'x', 'checkpoint.json'), '{"format":"other"}');
    expect(() => loadCheckpoint(join(empty, 'x'))).toThrow('is not a GPT checkpoint');
    expect(() => charCorpus().encode('whale ☃')).toThrow(
      'character "☃" (U+2603) at 6 is not in the vocabulary',
    );
  });
});
