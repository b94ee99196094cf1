import { noGrad } from '@mle/autograd';
import * as T from '@mle/tensor';
import { describe, expect, it } from 'vitest';
import {
  beamSearch,
  type GPT,
  type GptConfig,
  generate,
  NextToken,
  type PositionScheme,
  stopSequences,
} from '../src/index.js';
import { randomModel, SCHEMES, tinyConfig } from './random-model.js';

const randomGpt = (positions: PositionScheme, extra: Partial<GptConfig> = {}) =>
  randomModel(tinyConfig(positions, { vocabSize: 13, contextLength: 16, ...extra }), 21, 0.5);

describe('the KV cache', () => {
  for (const positions of SCHEMES) {
    it(`gives the logits of full recomputation at every step, ${positions} positions`, () => {
      const model = randomGpt(positions);
      const cached = new NextToken(model, true);
      const recomputed = new NextToken(model, false);
      const sequence = [3, 1, 4];
      for (let step = 0; step < 20; step++) {
        const a = cached.logits([sequence])[0]!;
        const b = recomputed.logits([sequence])[0]!;
        for (let i = 0; i < a.length; i++) expect(Math.abs(a[i]! - b[i]!)).toBeLessThan(1e-4);
        sequence.push(step % 13);
      }
    });

    it(`greedy and sampled generation with it equal generation by recomputation token for token, ${positions} positions`, () => {
      const model = randomGpt(positions);
      for (const options of [
        { maxTokens: 30, temperature: 0 },
        { maxTokens: 30, temperature: 0.8, topK: 6, topP: 0.9, seed: 5 },
      ]) {
        const withCache = generate(model, [1, 2, 3], { ...options, cache: true });
        const without = generate(model, [1, 2, 3], { ...options, cache: false });
        // 33 tokens in a context of 16: the window slides for the last 17 steps.
        expect(withCache.tokens).toHaveLength(30);
        expect(withCache.tokens).toEqual(without.tokens);
      }
    });
  }

  it('beam search with it equals beam search by recomputation', () => {
    const model = randomGpt('rope');
    const a = beamSearch(model, [5, 6], { beams: 4, maxTokens: 8, endToken: 0 });
    const b = beamSearch(model, [5, 6], { beams: 4, maxTokens: 8, endToken: 0, cache: false });
    expect(a.map((h) => h.tokens)).toEqual(b.map((h) => h.tokens));
    a.forEach((h, i) => expect(h.logProb).toBeCloseTo(b[i]!.logProb, 4));
  });
});

/** log P(continuation | prompt) by one forward pass over the whole sequence. */
function sequenceLogProb(model: GPT, prompt: number[], continuation: number[]): number {
  const all = [...prompt, ...continuation];
  const logits = noGrad(() => model.forward(T.array([all], 'int32'))).value;
  const lsm = T.logSoftmax(logits, -1);
  let total = 0;
  continuation.forEach((token, i) => {
    total += lsm.get(0, prompt.length + i - 1, token);
  });
  return total;
}

describe('beam search', () => {
  it('finds the most probable sequences when the beam is as wide as the space (vocabulary 3, 3 tokens)', () => {
    const model = randomGpt('alibi', { vocabSize: 3 });
    const prompt = [2, 0];
    const all: { tokens: number[]; logProb: number }[] = [];
    for (let a = 0; a < 3; a++)
      for (let b = 0; b < 3; b++)
        for (let c = 0; c < 3; c++)
          all.push({ tokens: [a, b, c], logProb: sequenceLogProb(model, prompt, [a, b, c]) });
    all.sort((x, y) => y.logProb - x.logProb);
    // Nine hypotheses extended by three tokens each consider all 27 sequences at the last step.
    const found = beamSearch(model, prompt, { beams: 9, maxTokens: 3, lengthPenalty: 0 });
    expect(found.map((h) => h.tokens)).toEqual(all.slice(0, 9).map((s) => s.tokens));
    found.forEach((h, i) => expect(h.logProb).toBeCloseTo(all[i]!.logProb, 4));
    // A beam of one is greedy decoding.
    const greedy = generate(model, prompt, { maxTokens: 3, temperature: 0 });
    expect(beamSearch(model, prompt, { beams: 1, maxTokens: 3 })[0]!.tokens).toEqual(greedy.tokens);
  });

  it('ends hypotheses at the end token, ranks by length-normalised score, and returns the n best', () => {
    const model = randomGpt('learned', { vocabSize: 5 });
    const found = beamSearch(model, [1], { beams: 5, maxTokens: 6, endToken: 4, returnBeams: 3 });
    expect(found).toHaveLength(3);
    for (const h of found) {
      expect(h.tokens.slice(0, -1)).not.toContain(4);
      expect(h.ended).toBe(h.tokens.at(-1) === 4);
      expect(h.score).toBeCloseTo(h.logProb / h.tokens.length, 12);
      expect(h.logProb).toBeCloseTo(sequenceLogProb(model, [1], h.tokens), 4);
    }
    expect(found.map((h) => h.score)).toEqual([...found.map((h) => h.score)].sort((a, b) => b - a));
    const early = beamSearch(model, [1], { beams: 2, maxTokens: 6, endToken: 4, earlyStopping: true });
    expect(early.length).toBe(2);
  });

  it('refuses settings it cannot honour', () => {
    const model = randomGpt('learned');
    expect(() => beamSearch(model, [1], { beams: 0, maxTokens: 3 })).toThrow(
      'beams must be a positive integer, got 0',
    );
    expect(() => beamSearch(model, [1], { beams: 2, maxTokens: 3, returnBeams: 3 })).toThrow(
      'returnBeams must be an integer in 1..2',
    );
    expect(() => beamSearch(model, [1], { beams: 2, maxTokens: 3, endToken: 13 })).toThrow(
      'endToken 13 is outside the vocabulary 0..12',
    );
    expect(() => beamSearch(model, [], { beams: 2, maxTokens: 3 })).toThrow('the prompt is empty');
  });
});

describe('sampling', () => {
  it('the same seed gives the same text; another seed, other text', () => {
    const model = randomGpt('rope');
    const a = generate(model, [1, 2], { maxTokens: 20, seed: 3 });
    const b = generate(model, [1, 2], { maxTokens: 20, seed: 3 });
    const c = generate(model, [1, 2], { maxTokens: 20, seed: 4 });
    expect(a.tokens).toEqual(b.tokens);
    expect(c.tokens).not.toEqual(a.tokens);
  });

  it('stops when told, cuts a long prompt from the left and says so, and leaves the model in its mode', () => {
    const model = randomGpt('learned', { dropout: 0.3 }).train();
    const stopped = generate(model, [1], { maxTokens: 50, seed: 1, stop: (t) => t.length === 7 });
    expect(stopped).toMatchObject({ finishReason: 'stop' });
    expect(stopped.tokens).toHaveLength(7);
    expect(model.training).toBe(true);
    const long = generate(
      model,
      Array.from({ length: 20 }, (_, i) => i % 13),
      { maxTokens: 2, temperature: 0 },
    );
    expect(long.promptTruncated).toBe(4);
    // Dropout was off while decoding: the same call gives the same tokens.
    expect(generate(model, [1], { maxTokens: 10, seed: 1 }).tokens).toEqual(
      generate(model, [1], { maxTokens: 10, seed: 1 }).tokens,
    );
  });

  it('stop sequences end generation at the first one in the decoded text, which is cut off', () => {
    const model = randomGpt('learned');
    const decode = (ids: readonly number[]) => ids.map((i) => 'abcdefghijklm'[i]).join('');
    const free = decode(generate(model, [1], { maxTokens: 40, seed: 2 }).tokens);
    const target = free.slice(10, 12);
    const { stop, cut } = stopSequences(decode, ['zz', target]);
    const stopped = generate(model, [1], { maxTokens: 40, seed: 2, stop });
    expect(stopped.finishReason).toBe('stop');
    const text = decode(stopped.tokens);
    expect(text.endsWith(target)).toBe(true);
    expect(cut(text)).toBe(free.slice(0, free.indexOf(target)));
    expect(() => stopSequences(decode, [''])).toThrow('at least one non-empty stop sequence');
  });

  it('names a bad option and what it must be', () => {
    const model = randomGpt('learned');
    expect(() => generate(model, [], { maxTokens: 3 })).toThrow('the prompt is empty');
    expect(() => generate(model, [1], { maxTokens: 3, temperature: -1 })).toThrow(
      'temperature must be ≥ 0 (0 is greedy), got -1',
    );
    expect(() => generate(model, [1], { maxTokens: 3, topP: 0 })).toThrow('topP must be in (0, 1], got 0');
    expect(() => generate(model, [1], { maxTokens: 3, topP: 1.5 })).toThrow(
      'topP must be in (0, 1], got 1.5',
    );
    expect(() => generate(model, [1], { maxTokens: 3, topK: 0 })).toThrow(
      'topK must be an integer in 1..13, got 0',
    );
    expect(() => generate(model, [1], { maxTokens: 3, repetitionPenalty: 0.5 })).toThrow(
      'repetitionPenalty must be ≥ 1',
    );
    expect(() => generate(model, [1], { maxTokens: -1 })).toThrow('maxTokens must be a non-negative integer');
    expect(() => generate(model, [1, 99], { maxTokens: 1 })).toThrow(
      'token id 99 at 1 is outside the vocabulary 0..12',
    );
  });
});
