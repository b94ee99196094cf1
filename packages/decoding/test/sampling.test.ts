import * as T from '@mle/tensor';
import { describe, expect, it } from 'vitest';
import { checkSampler, type SamplerSettings, sampleToken, stopSequences } from '../src/index.js';

const settings = (extra: SamplerSettings = {}) => checkSampler({ topK: 4, ...extra }, 4);

describe('sampleToken', () => {
  const logits = () => Float64Array.from([Math.log(0.5), Math.log(0.3), Math.log(0.15), Math.log(0.05)]);
  const frequencies = (options: Required<SamplerSettings>, draws = 20_000) => {
    const rng = new T.Rng(1);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < draws; i++) counts[sampleToken(logits(), [], options, rng)]!++;
    return counts.map((c) => c / draws);
  };

  it('draws tokens with the softmax probabilities; top-k and top-p renormalise over what they keep', () => {
    frequencies(settings()).forEach((f, i) => expect(f).toBeCloseTo([0.5, 0.3, 0.15, 0.05][i]!, 1.7));
    frequencies(settings({ topK: 2 })).forEach((f, i) =>
      expect(f).toBeCloseTo([0.625, 0.375, 0, 0][i]!, 1.7),
    );
    // The fewest tokens whose mass reaches 0.9: 0.5 + 0.3 + 0.15.
    frequencies(settings({ topP: 0.9 })).forEach((f, i) =>
      expect(f).toBeCloseTo([0.5, 0.3, 0.15, 0][i]! / 0.95, 1.7),
    );
    // Temperature 2 flattens: p ∝ √p.
    const flat = [0.5, 0.3, 0.15, 0.05].map(Math.sqrt);
    const sum = flat.reduce((a, b) => a + b);
    frequencies(settings({ temperature: 2 })).forEach((f, i) => expect(f).toBeCloseTo(flat[i]! / sum, 1.7));
  });

  it('is greedy at temperature 0, at top-k 1 and at a tiny top-p; the repetition penalty divides seen positive logits', () => {
    const rng = new T.Rng(0);
    for (const o of [settings({ temperature: 0 }), settings({ topK: 1 }), settings({ topP: 1e-9 })])
      expect(sampleToken(logits(), [], o, rng)).toBe(0);
    const penalised = Float64Array.from([2, 1.5, -1]);
    expect(sampleToken(penalised, [0, 2], settings({ temperature: 0, repetitionPenalty: 2 }), rng)).toBe(1);
    expect(Array.from(penalised)).toEqual([1, 1.5, -2]);
  });

  it('float32 logits (as a runtime returns them) draw the same tokens as float64 ones', () => {
    const row = new T.Rng(3).normal([50]).toTypedArray() as Float32Array;
    const options = checkSampler({ temperature: 0.8, topK: 20, topP: 0.9 }, 50);
    const [a, b] = [new T.Rng(9), new T.Rng(9)];
    for (let i = 0; i < 200; i++)
      expect(sampleToken(Float32Array.from(row), [], options, a)).toBe(
        sampleToken(Float64Array.from(row), [], options, b),
      );
  });
});

describe('checkSampler', () => {
  it('fills in the defaults: temperature 1, every token, no nucleus cut, no penalty, seed 0', () => {
    expect(checkSampler({}, 7)).toEqual({ temperature: 1, topK: 7, topP: 1, repetitionPenalty: 1, seed: 0 });
  });

  it('names the setting that is wrong, what it must be, and who asked', () => {
    expect(() => checkSampler({ temperature: -1 }, 5, 'generate')).toThrow(
      'generate: temperature must be ≥ 0 (0 is greedy), got -1',
    );
    expect(() => checkSampler({ topK: 6 }, 5)).toThrow('topK must be an integer in 1..5, got 6');
    expect(() => checkSampler({ topP: 0 }, 5)).toThrow('topP must be in (0, 1], got 0');
    expect(() => checkSampler({ repetitionPenalty: 0.5 }, 5)).toThrow(
      'repetitionPenalty must be ≥ 1, got 0.5',
    );
    expect(() => checkSampler({ seed: 1.5 }, 5)).toThrow('seed must be an integer, got 1.5');
    expect(() => checkSampler({ temperature: Number.NaN }, 5)).toThrow('temperature must be ≥ 0');
  });
});

describe('stopSequences', () => {
  it('stops at the first stop sequence in the decoded text and cuts the text there', () => {
    const decode = (ids: readonly number[]) => ids.map((i) => 'abc. '[i]).join('');
    const { stop, cut } = stopSequences(decode, ['. ', 'cc']);
    expect(stop([0, 1])).toBe(false);
    expect(stop([0, 1, 3, 4])).toBe(true);
    expect(cut('ab. cc. ')).toBe('ab');
    expect(cut('abab')).toBe('abab');
  });
});
