import { ndcgAtK } from '@mle/ranking';
import { describe, expect, it } from 'vitest';
import {
  alsSolveRow,
  countMatrix,
  evaluateRecommender,
  generateInteractions,
  ImplicitAls,
  ItemKnn,
  leaveLastOut,
  Popularity,
  topK,
} from '../src/index.js';

const log = generateInteractions({ users: 600, items: 300, interactions: 30_000, seed: 4 });
const split = leaveLastOut(log);

describe('the interaction log and its split', () => {
  it('is seeded, skewed toward popular items, and refuses a bad size', () => {
    const again = generateInteractions({ users: 600, items: 300, interactions: 30_000, seed: 4 });
    expect(Array.from(again.item.subarray(0, 50))).toEqual(Array.from(log.item.subarray(0, 50)));
    const counts = new Float64Array(300);
    for (const i of log.item) counts[i]!++;
    const sorted = Array.from(counts).sort((a, b) => b - a);
    expect(sorted.slice(0, 30).reduce((s, v) => s + v, 0) / 30_000).toBeGreaterThan(0.3); // top 10% of items
    expect(() => generateInteractions({ users: 0 })).toThrow('users must be a whole number ≥ 1, got 0');
  });

  it('leave-last-out: the held-out item is new to the user and nothing in training comes after it', () => {
    expect(split.testUsers.length).toBeGreaterThan(500);
    const lastTrain = new Map<number, number>();
    const trainItems = new Map<number, Set<number>>();
    for (let e = 0; e < split.train.user.length; e++) {
      const u = split.train.user[e]!;
      lastTrain.set(u, Math.max(lastTrain.get(u) ?? 0, split.train.time[e]!));
      if (!trainItems.has(u)) trainItems.set(u, new Set());
      trainItems.get(u)!.add(split.train.item[e]!);
    }
    split.testUsers.forEach((u, t) => {
      expect(trainItems.get(u)!.has(split.testItems[t]!)).toBe(false);
      const heldOutTimes = Array.from(log.time).filter(
        (_, e) => log.user[e] === u && log.item[e] === split.testItems[t],
      );
      expect(Math.min(...heldOutTimes)).toBeGreaterThanOrEqual(lastTrain.get(u)!);
    });
  });

  it('the count matrix sums repeats, sorts each row, and names a bad id', () => {
    const m = countMatrix(3, 4, [2, 0, 2, 2, 0], [1, 3, 1, 0, 3]);
    expect(Array.from(m.offsets)).toEqual([0, 1, 1, 3]);
    expect(Array.from(m.indices)).toEqual([3, 0, 1]);
    expect(Array.from(m.counts)).toEqual([2, 1, 2]);
    expect(() => countMatrix(3, 4, [3], [0])).toThrow('entry 0 has row 3, expected [0, 3)');
  });
});

describe('the models', () => {
  it('item-kNN similarities are the cosine of the items’ user sets', () => {
    const knn = new ItemKnn(split.train, 10, 10_000);
    const usersOf = Array.from({ length: 300 }, () => new Set<number>());
    for (let e = 0; e < split.train.user.length; e++)
      usersOf[split.train.item[e]!]!.add(split.train.user[e]!);
    for (const i of [0, 5, 40]) {
      for (let r = 0; r < 10; r++) {
        const j = knn.neighbour[i * 10 + r]!;
        if (j < 0) break;
        const both = [...usersOf[i]!].filter((u) => usersOf[j]!.has(u)).length;
        expect(knn.similarity[i * 10 + r]).toBeCloseTo(
          both / Math.sqrt(usersOf[i]!.size * usersOf[j]!.size),
          12,
        );
      }
    }
  });

  it('the conjugate-gradient row solve reaches the normal equations’ solution; 3 steps already lower the loss', () => {
    const f = 4;
    const Y = Float64Array.from({ length: 6 * f }, (_, k) => Math.sin(k * 1.3));
    const YtY = new Float64Array(f * f);
    for (let i = 0; i < 6; i++)
      for (let a = 0; a < f; a++)
        for (let b = 0; b < f; b++) YtY[a * f + b]! += Y[i * f + a]! * Y[i * f + b]!;
    const items = [1, 4];
    const counts = [2, 1];
    const [alpha, lambda] = [5, 0.3];
    // A = YᵀY + Σ (c − 1) yᵢyᵢᵀ + λI; b = Σ c yᵢ: solved by Gaussian elimination.
    const A = Array.from({ length: f }, (_, a) =>
      Array.from({ length: f + 1 }, (_, b) => (b < f ? YtY[a * f + b]! + (a === b ? lambda : 0) : 0)),
    );
    items.forEach((i, p) => {
      const c = 1 + alpha * counts[p]!;
      for (let a = 0; a < f; a++) {
        for (let b = 0; b < f; b++) A[a]![b]! += (c - 1) * Y[i * f + a]! * Y[i * f + b]!;
        A[a]![f]! += c * Y[i * f + a]!;
      }
    });
    for (let c = 0; c < f; c++)
      for (let r = 0; r < f; r++) {
        if (r === c) continue;
        const m = A[r]![c]! / A[c]![c]!;
        for (let k = c; k <= f; k++) A[r]![k]! -= m * A[c]![k]!;
      }
    const exact = A.map((row, a) => row[f]! / row[a]!);
    const x = new Float64Array(f);
    alsSolveRow(YtY, Y, f, items, counts, alpha, lambda, x, 20);
    for (let a = 0; a < f; a++) expect(x[a]).toBeCloseTo(exact[a]!, 9);

    const als = new ImplicitAls(split.train, { factors: 8, iterations: 5 });
    for (let it = 1; it < als.losses.length; it++)
      expect(als.losses[it]).toBeLessThanOrEqual(als.losses[it - 1]!);
  });

  it('on held-out items ALS and item-kNN beat popularity; a user with no history gets the popularity fallback', () => {
    const popularity = evaluateRecommender(new Popularity(split.train), split);
    const knn = evaluateRecommender(new ItemKnn(split.train), split);
    const als = evaluateRecommender(new ImplicitAls(split.train, { factors: 16, iterations: 8 }), split);
    expect(knn.recall).toBeGreaterThan(popularity.recall);
    expect(als.recall).toBeGreaterThan(popularity.recall);
    expect(als.coverage).toBeGreaterThan(popularity.coverage);
    const model = new ImplicitAls(split.train, { factors: 4, iterations: 1 });
    expect(Array.from(model.scores(10_000))).toEqual(Array.from(new Popularity(split.train).counts));
  });
});

describe('offline metrics', () => {
  it('top-k skips the excluded items and breaks ties to the lower id', () => {
    expect(Array.from(topK(Float64Array.of(0.5, 0.9, 0.9, 0.1, 0.7), 3, [1]))).toEqual([2, 4, 0]);
    expect(Array.from(topK(Float64Array.of(1, 2), 3))).toEqual([1, 0, -1]);
  });

  it('NDCG with one held-out item equals @mle/ranking’s NDCG over all of the user’s scores', () => {
    // One test user, one held-out item (item 2); the model ranks it second after excluding the seen item 0.
    const train = {
      users: 1,
      items: 4,
      user: Uint32Array.of(0),
      item: Uint32Array.of(0),
      time: Float64Array.of(0),
    };
    const scores = Float64Array.of(9, 0.8, 0.5, 0.9);
    const model = { name: 'fixed', scores: () => scores };
    const metrics = evaluateRecommender(
      model,
      { train, testUsers: Uint32Array.of(0), testItems: Uint32Array.of(2), testTimes: Float64Array.of(1) },
      { k: 3 },
    );
    const unseen = [1, 2, 3];
    const reference = ndcgAtK(
      unseen.map((i) => (i === 2 ? 1 : 0)),
      unseen.map((i) => scores[i]!),
      3,
    );
    expect(metrics.ndcg).toBeCloseTo(reference, 15);
    expect(metrics.ndcg).toBeCloseTo(1 / Math.log2(4), 15); // third place among the unseen
    expect(metrics.recall).toBe(1);
    // Item 3 released after the request: it drops out, and the held-out item moves up to second.
    const later = evaluateRecommender(
      model,
      {
        train: { ...train, released: Float64Array.of(0, 0, 0, 5) },
        testUsers: Uint32Array.of(0),
        testItems: Uint32Array.of(2),
        testTimes: Float64Array.of(1),
      },
      { k: 3 },
    );
    expect(later.ndcg).toBeCloseTo(1 / Math.log2(3), 15);
    expect(scores[3]).toBe(0.9); // the model's own array is not written to
  });
});
