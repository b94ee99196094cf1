import { gradcheck, manualSeed, sum, Tensor } from '@mle/autograd';
import * as T from '@mle/tensor';
import { describe, expect, it } from 'vitest';
import {
  CharVocabulary,
  charLmFor,
  charLmLoss,
  FusedLSTM,
  lstm,
  lstmSequence,
  sampleCharLm,
  stackTime,
  streamWindows,
  trainCharLm,
} from '../src/index.js';

const [B, TIME, I, H] = [2, 4, 3, 5];

describe('the fused LSTM layer (hand-written BPTT) against the unrolled LSTMCell (autograd BPTT)', () => {
  it('the same outputs, final state and gradients of every input and weight, in float64 to 1e-12', () => {
    manualSeed(4);
    const fused = new FusedLSTM(I, H, 2).to('float64');
    const unrolled = lstm(I, H, 2).to('float64');
    unrolled.loadStateDict(fused.stateDict());
    const rng = new T.Rng(9);
    const x = rng.normal([B, TIME, I]).astype('float64');
    const h0 = rng.normal([B, H]).astype('float64');
    const c0 = rng.normal([B, H]).astype('float64');
    const mix = new Tensor(rng.normal([B, TIME, H]).astype('float64'));
    const run = (forward: (x: Tensor, s: { h: Tensor; c: Tensor }[]) => { out: Tensor; h: Tensor }) => {
      const xs = new Tensor(x.clone(), { requiresGrad: true });
      const hs = new Tensor(h0.clone(), { requiresGrad: true });
      const cs = new Tensor(c0.clone(), { requiresGrad: true });
      const states = [
        { h: hs, c: cs },
        { h: hs, c: cs },
      ];
      const { out, h } = forward(xs, states);
      sum(out.mul(mix)).add(sum(h)).backward();
      return { out: out.value, grads: [xs.grad!, hs.grad!, cs.grad!] };
    };
    const a = run((xs, s) => {
      const r = fused.forward(xs, s);
      return { out: r.output, h: r.states[1]!.h };
    });
    const b = run((xs, s) => {
      const r = unrolled.forward(xs, s);
      return { out: stackTime(r.outputs), h: r.states[1]!.h };
    });
    const close = (p: T.NDArray, q: T.NDArray) => {
      const u = p.toTypedArray();
      const v = q.toTypedArray();
      expect(u.length).toBe(v.length);
      expect(Math.max(...u.map((e, k) => Math.abs(e - v[k]!)))).toBeLessThan(1e-12);
    };
    close(a.out, b.out);
    a.grads.forEach((g, k) => close(g, b.grads[k]!));
    const pf = fused.parameters();
    const pu = unrolled.parameters();
    pf.forEach((p, k) => close(p.grad!, pu[k]!.grad!));
  });

  it('gradcheck of lstmSequence in float64: x, both weights, the bias, h0 and c0', () => {
    const rng = new T.Rng(2);
    const leaf = (shape: number[]) => new Tensor(rng.normal(shape).astype('float64'), { requiresGrad: true });
    const inputs = [
      leaf([B, 3, I]),
      leaf([I, 4 * H]),
      leaf([H, 4 * H]),
      leaf([4 * H]),
      leaf([B, H]),
      leaf([B, H]),
    ];
    const mix = new Tensor(rng.normal([B, 3, H]).astype('float64'));
    const result = gradcheck(
      (x, wi, wh, b, h0, c0) => sum(lstmSequence(x!, wi!, wh!, b!, h0!, c0!).output.mul(mix)),
      inputs,
    );
    expect(result.maxRelativeError).toBeLessThan(1e-6);
  });
});

describe('character-level language model', () => {
  const text = 'the cat sat on the mat. the dog sat on the log. '.repeat(40);

  it('the vocabulary round-trips and names what it lacks', () => {
    const vocabulary = CharVocabulary.fromText(text);
    expect(vocabulary.decode(vocabulary.encode('the mat'))).toBe('the mat');
    expect(() => vocabulary.encode('the 🐋')).toThrow(
      'CharVocabulary.encode: character "🐋" (U+1F40B) at 4 is not in the vocabulary of',
    );
    expect(() => vocabulary.decode([999])).toThrow(`id 999 is outside 0..${vocabulary.size - 1}`);
    expect(() => CharVocabulary.fromText('aaaa')).toThrow('need at least 2 distinct characters, got 1');
  });

  it('streams: each block continues the one before it in every stream; too short a text is an error', () => {
    const ids = Int32Array.from({ length: 50 }, (_, i) => i);
    const windows = streamWindows(ids, 2, 4);
    const first = windows.next().value!.block;
    const second = windows.next().value!.block;
    expect(Array.from(first.toTypedArray())).toEqual([0, 1, 2, 3, 4, 25, 26, 27, 28, 29]);
    expect(Array.from(second.toTypedArray())).toEqual([4, 5, 6, 7, 8, 29, 30, 31, 32, 33]);
    expect(() => streamWindows(ids, 8, 8).next()).toThrow(
      'streamWindows: 50 characters make 8 streams of 6, too short for one window of 8 + 1',
    );
  });

  it('truncated BPTT with clipping learns a repetitive text; the same seed gives the same run', () => {
    const vocabulary = CharVocabulary.fromText(text);
    const ids = vocabulary.encode(text);
    const recipe = {
      embedding: 8,
      hidden: 32,
      layers: 1,
      batch: 4,
      window: 16,
      steps: 60,
      lr: 1e-2,
      clip: 1,
      evalEvery: 30,
      valChars: 400,
      seed: 0,
    };
    const train = ids.subarray(0, 1500);
    const val = ids.subarray(1500);
    const model = charLmFor(recipe, vocabulary.size);
    const before = charLmLoss(model, val, recipe.batch, recipe.window);
    expect(before).toBeCloseTo(Math.log(vocabulary.size), 0); // an untrained model is near uniform
    const history = trainCharLm(model, train, val, recipe);
    expect(history.val.at(-1)!.loss).toBeLessThan(before / 2);
    const again = trainCharLm(charLmFor(recipe, vocabulary.size), train, val, recipe);
    expect(again.train).toEqual(history.train);
    const sample = sampleCharLm(model, vocabulary, { prompt: 'the ', length: 40, temperature: 0.5, seed: 1 });
    expect(sample.startsWith('the ')).toBe(true);
    expect(sample).toHaveLength(44);
    expect(sampleCharLm(model, vocabulary, { prompt: 'the ', length: 40, temperature: 0.5, seed: 1 })).toBe(
      sample,
    );
    expect(() => sampleCharLm(model, vocabulary, { prompt: '', length: 5, temperature: 1, seed: 0 })).toThrow(
      'the prompt is empty',
    );
    expect(() =>
      sampleCharLm(model, vocabulary, { prompt: 'a', length: 5, temperature: 0, seed: 0 }),
    ).toThrow('temperature must be > 0, got 0');
  });

  it('says what is wrong with a model’s input', () => {
    manualSeed(0);
    const layer = new FusedLSTM(I, H);
    expect(() => layer.forward(new Tensor(T.zeros([B, 0, I])))).toThrow(
      `FusedLSTM: input must be [batch, time ≥ 1, ${I}], got [${B},0,${I}]`,
    );
    expect(() =>
      layer.forward(new Tensor(T.zeros([B, TIME, I])), [{ h: new Tensor(T.zeros([B, H])) }]),
    ).toThrow(`FusedLSTM: layer 0's initial c must be [${B}, ${H}], got none`);
  });
});
