import { loadMobyDick } from '@mle/datasets';
import { describe, expect, it } from 'vitest';
import { EOS, NgramModel, sentences, UNK, words } from '../src/index.js';

describe('words and sentences for the classic models', () => {
  it('follows its written rules', () => {
    expect(words("“Don't,” said the sea-captain—twice. ‘Whale’s’ 1,851!")).toEqual([
      '"',
      "don't",
      ',',
      '"',
      'said',
      'the',
      'sea-captain',
      '—',
      'twice',
      '.',
      "'",
      "whale's",
      "'",
      '1',
      ',',
      '851',
      '!',
    ]);
    expect(sentences('Call me Ishmael. Some years ago! Never mind')).toEqual([
      ['call', 'me', 'ishmael', '.'],
      ['some', 'years', 'ago', '!'],
      ['never', 'mind'],
    ]);
  });
});

describe('NgramModel with interpolated Kneser–Ney', () => {
  // Three sentences, every word kept (minCount 1): V = {a, b, c, </s>, <unk>}, |V| = 5.
  const corpus = [
    ['a', 'b'],
    ['a', 'c'],
    ['b', 'c'],
  ];
  const model = new NgramModel({ order: 2, smoothing: { kind: 'kneser-ney' }, minCount: 1 }).fit(corpus);

  it('gives the probabilities of Chen & Goodman’s formula, computed by hand', () => {
    // Bigrams (with <s> padding): (<s>,a)=2, (c,</s>)=2; (a,b), (a,c), (b,c), (<s>,b), (b,</s>) once each.
    // n1 = 5, n2 = 2 → D2 = 5 / (5 + 2·2) = 5/9.
    // Continuation counts N1+(• w): a ← {<s>} = 1; b ← {a, <s>} = 2; c ← {a, b} = 2; </s> ← {b, c} = 2.
    // Their total is 7 over 4 word types; n1 = 1, n2 = 3 → D1 = 1 / (1 + 2·3) = 1/7.
    // P1(w) = max(N1+(• w) − D1, 0) / 7 + D1 · 4/7 · 1/|V|
    const D1 = 1 / 7;
    const D2 = 5 / 9;
    const p1 = (cc: number) => Math.max(cc - D1, 0) / 7 + ((D1 * 4) / 7) * (1 / 5);
    expect(p1(2)).toBeCloseTo(69 / 245, 15);
    // P2(b | a): c(a •) = 2 over N1+(a •) = 2 followers, c(a b) = 1.
    expect(model.probability('b', ['a'])).toBeCloseTo((1 - D2) / 2 + ((D2 * 2) / 2) * p1(2), 15);
    // P2(a | <s>): c(<s> •) = 3 over 2 followers, c(<s> a) = 2; a's continuation count is 1.
    expect(model.probability('a', [])).toBeCloseTo((2 - D2) / 3 + ((D2 * 2) / 3) * p1(1), 15);
    // An unseen word is <unk>: only the discounted mass reaches it, through the uniform distribution.
    expect(model.probability('zebra', ['a'])).toBeCloseTo(((D2 * 2) / 2) * p1(0), 15);
    expect(model.probability('zebra', ['a'])).toBe(model.probability(UNK, ['a']));
  });

  it('is a distribution over the vocabulary after every context, seen or not', () => {
    for (const context of [[], ['a'], ['b'], ['c'], ['zebra'], ['a', 'b']]) {
      const total = [...model.vocabulary].reduce((sum, w) => sum + model.probability(w, context), 0);
      expect(total).toBeCloseTo(1, 12);
    }
    const trigram = new NgramModel({ order: 3, smoothing: { kind: 'kneser-ney' }, minCount: 1 }).fit(corpus);
    for (const context of [[], ['a'], ['a', 'b'], ['c', 'a'], ['zebra', 'zebra']]) {
      const total = [...trigram.vocabulary].reduce((sum, w) => sum + trigram.probability(w, context), 0);
      expect(total).toBeCloseTo(1, 12);
    }
  });

  it('says what is wrong', () => {
    expect(() => new NgramModel({ order: 0, smoothing: { kind: 'kneser-ney' } })).toThrow(
      'NgramModel: order must be a whole number ≥ 1, got 0',
    );
    expect(() => new NgramModel({ order: 2, smoothing: { kind: 'add-k', k: 0 } })).toThrow(
      'NgramModel: add-k needs k > 0, got 0',
    );
    const unfitted = new NgramModel({ order: 2, smoothing: { kind: 'kneser-ney' } });
    expect(() => unfitted.probability('a')).toThrow('NgramModel: call fit(sentences) before using the model');
    expect(() => unfitted.fit([['once']])).toThrow(
      'NgramModel.fit: no word occurs 2 times or more in the training sentences',
    );
    expect(() => model.perplexity([])).toThrow('NgramModel.perplexity: no sentences to score');
  });
});

describe('on Moby Dick', () => {
  const book = loadMobyDick().sections;
  const train = book.slice(0, 120).flatMap((s) => sentences(s.text));
  const heldOut = book.slice(120).flatMap((s) => sentences(s.text));

  it('Kneser–Ney beats add-k on held-out chapters, and a trigram beats a unigram; add-k sums to one too', () => {
    const perplexity = (order: number, smoothing: NgramModel['smoothing']) =>
      new NgramModel({ order, smoothing }).fit(train).perplexity(heldOut);
    const kn1 = perplexity(1, { kind: 'kneser-ney' });
    const kn3 = perplexity(3, { kind: 'kneser-ney' });
    const addk3 = perplexity(3, { kind: 'add-k', k: 0.01 });
    expect(kn3).toBeLessThan(kn1);
    expect(kn3).toBeLessThan(addk3);
    const addk = new NgramModel({ order: 2, smoothing: { kind: 'add-k', k: 0.5 } }).fit(train);
    const total = [...addk.vocabulary].reduce((sum, w) => sum + addk.probability(w, ['the']), 0);
    expect(total).toBeCloseTo(1, 9);
    expect(addk.vocabulary.has(EOS)).toBe(true);
  });
});
