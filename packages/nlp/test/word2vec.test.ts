import { describe, expect, it } from 'vitest';
import {
  keepProbability,
  mulberry32,
  pca2,
  sgnsUpdate,
  trainWord2Vec,
  unigramTable,
  WordVectors,
} from '../src/index.js';

describe('skip-gram with negative sampling', () => {
  it('one update moves every vector by −lr × the finite-difference gradient of −Σ log σ(±u·v)', () => {
    const dim = 4;
    const random = mulberry32(3);
    const input = Float32Array.from({ length: 3 * dim }, () => random() - 0.5);
    const output = Float32Array.from({ length: 3 * dim }, () => random() - 0.5);
    const targets = [1, 2];
    const labels = [1, 0];
    const loss = (inp: Float32Array, out: Float32Array) => {
      let total = 0;
      targets.forEach((t, k) => {
        let dot = 0;
        for (let j = 0; j < dim; j++) dot += inp[j]! * out[t * dim + j]!;
        const p = 1 / (1 + Math.exp(-dot));
        total -= labels[k] === 1 ? Math.log(p) : Math.log(1 - p);
      });
      return total;
    };
    const numeric = (which: 'in' | 'out', index: number) => {
      const eps = 1e-3;
      const [a, b] = [Float32Array.from(input), Float32Array.from(output)];
      const [c, d] = [Float32Array.from(input), Float32Array.from(output)];
      (which === 'in' ? a : b)[index]! += eps;
      (which === 'in' ? c : d)[index]! -= eps;
      return (loss(a, b) - loss(c, d)) / (2 * eps);
    };
    const lr = 1e-3;
    const [inp, out] = [Float32Array.from(input), Float32Array.from(output)];
    const reported = sgnsUpdate(inp, out, dim, 0, targets, labels, lr, new Float32Array(dim));
    expect(reported).toBeCloseTo(loss(input, output), 5);
    for (let j = 0; j < dim; j++) expect((inp[j]! - input[j]!) / -lr).toBeCloseTo(numeric('in', j), 3);
    for (const t of targets)
      for (let j = 0; j < dim; j++)
        expect((out[t * dim + j]! - output[t * dim + j]!) / -lr).toBeCloseTo(numeric('out', t * dim + j), 3);
  });

  it('the noise table follows count^0.75; subsampling keeps word2vec.c’s share', () => {
    const counts = [1000, 100, 10, 1];
    const table = unigramTable(counts, 100_000);
    const weights = counts.map((c) => c ** 0.75);
    const total = weights.reduce((a, b) => a + b, 0);
    counts.forEach((_, w) => {
      const share = table.filter((x) => x === w).length / table.length;
      expect(share).toBeCloseTo(weights[w]! / total, 3);
    });
    // f = 0.01 at t = 1e-3: (√10 + 1) · 0.1 ≈ 0.416; a rare word is always kept.
    expect(keepProbability(10, 1000, 1e-3)).toBeCloseTo((Math.sqrt(10) + 1) * 0.1, 12);
    expect(keepProbability(1, 1_000_000, 1e-3)).toBe(1);
  });

  it('words that share contexts end up nearest each other; the same seed gives the same vectors', () => {
    // Two topics that never meet: animals and numbers, each sentence drawn from one.
    const random = mulberry32(11);
    const topics = [
      ['cat', 'dog', 'horse', 'cow', 'sheep'],
      ['one', 'two', 'three', 'four', 'five'],
    ];
    const sentences = Array.from({ length: 600 }, (_, i) => {
      const topic = topics[i % 2]!;
      return Array.from({ length: 8 }, () => topic[Math.floor(random() * topic.length)]!);
    });
    const options = { dim: 16, window: 3, negative: 5, minCount: 1, sample: 0, epochs: 3, seed: 5 };
    const { vectors, epochLoss } = trainWord2Vec(sentences, options);
    expect(epochLoss.at(-1)!).toBeLessThan(epochLoss[0]!);
    for (const topic of topics)
      for (const word of topic) {
        const near = vectors.mostSimilar(word, 4).map((n) => n.word);
        expect(near.sort()).toEqual(topic.filter((w) => w !== word).sort());
      }
    expect(trainWord2Vec(sentences, options).vectors.vectors).toEqual(vectors.vectors);
  });

  it('analogy and PCA on vectors with a known structure', () => {
    // Four words on the corners of a parallelogram: king − man + woman = queen exactly.
    const v = new WordVectors(
      ['man', 'woman', 'king', 'queen', 'apple'],
      Float32Array.of(1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 1, 1, 1, 1, 1, -1, -1, 0.2),
      3,
    );
    expect(v.analogy('man', 'king', 'woman', 1)[0]!.word).toBe('queen');
    expect(v.similarity('king', 'king')).toBeCloseTo(1, 6);
    expect(() => v.vector('kingdom')).toThrow('"kingdom" is not in the vocabulary of 5 words');
    // Points on a line in 3-D: the first component explains all the variance.
    const line = [0, 1, 2, 3].map((t) => Float32Array.of(t, 2 * t, -t));
    const { points, explained } = pca2(line);
    expect(explained[0]).toBeCloseTo(1, 6);
    expect(Math.abs(points[3]![0] - points[0]![0])).toBeCloseTo(3 * Math.sqrt(6), 4);
  });

  it('says what is wrong', () => {
    expect(() => trainWord2Vec([['a', 'b']], { minCount: 2 })).toThrow(
      'trainWord2Vec: 0 words occur 2 or more times; need at least 2',
    );
    expect(() => trainWord2Vec([['a', 'b']], { dim: 0 })).toThrow('dim must be a whole number ≥ 1, got 0');
    expect(() => pca2([Float32Array.of(1)])).toThrow('pca2: need at least 3 rows, got 1');
  });
});
