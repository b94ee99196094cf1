import { mulberry32 } from '@mle/datasets';
import { describe, expect, it } from 'vitest';
import { zipfSampler } from '../src/data.js';
import {
  evaluateRecommender,
  evaluateStages,
  fitCandidateModels,
  generateInteractions,
  type InteractionLog,
  leaveLastOut,
  Popularity,
  RANKER_FEATURES,
  TwoStageRecommender,
  TwoTower,
  userSequences,
} from '../src/index.js';

const DAY = 86_400;
const log = generateInteractions({ users: 2_000, items: 1_000, interactions: 100_000, seed: 3 });
const split = leaveLastOut(log);
const inner = leaveLastOut(split.train);

describe('the generator’s catalogue over time', () => {
  it('draws the power law by the alias method: frequencies within sampling error of 1 / (i + 1)', () => {
    const n = 50;
    const draws = 200_000;
    const draw = zipfSampler(n, 1, mulberry32(9));
    const counts = new Float64Array(n);
    for (let k = 0; k < draws; k++) counts[draw()]!++;
    const total = Array.from({ length: n }, (_, i) => 1 / (i + 1)).reduce((s, w) => s + w, 0);
    let chi2 = 0;
    for (let i = 0; i < n; i++) {
      const expected = (draws * (1 / (i + 1))) / total;
      chi2 += (counts[i]! - expected) ** 2 / expected;
    }
    expect(chi2).toBeLessThan(85); // the χ² 99.9% point with 49 degrees of freedom is 85.4
  });

  it('releases items during the log, never takes one before its release, and pulls toward new ones', () => {
    const released = log.released!;
    const late = released.filter((r) => r > 0).length / log.items;
    expect(late).toBeGreaterThan(0.25);
    expect(late).toBeLessThan(0.35);
    for (let e = 0; e < log.item.length; e++)
      expect(log.time[e]!).toBeGreaterThanOrEqual(released[log.item[e]!]!);
    // With the pull switched off, fewer interactions go to items in their first fortnight.
    const freshShare = (l: InteractionLog) =>
      l.item.reduce(
        (n, i, e) => n + (l.released![i]! > 0 && l.time[e]! - l.released![i]! < 14 * DAY ? 1 : 0),
        0,
      ) / l.item.length;
    const flat = generateInteractions({
      users: 2_000,
      items: 1_000,
      interactions: 100_000,
      seed: 3,
      freshness: 0,
    });
    expect(freshShare(log)).toBeGreaterThan(1.5 * freshShare(flat));
    expect(() => generateInteractions({ newItems: 1 })).toThrow('newItems must be in [0, 1), got 1');
  });
});

describe('the two-tower model', () => {
  const twoTower = new TwoTower(split.train, { seed: 2 });

  it('user sequences hold each user’s distinct items in the order first taken', () => {
    const small: InteractionLog = {
      users: 2,
      items: 4,
      user: Uint32Array.of(1, 0, 1, 1, 0, 1),
      item: Uint32Array.of(3, 2, 1, 3, 2, 0),
      time: Float64Array.of(5, 1, 2, 9, 3, 7),
    };
    const seq = userSequences(small);
    expect(Array.from(seq.offsets)).toEqual([0, 1, 4]);
    expect(Array.from(seq.items)).toEqual([2, 1, 3, 0]);
    expect(Array.from(seq.times)).toEqual([1, 2, 5, 7]);
  });

  it('scores are the cosine of unit vectors, the same one user at a time or in a batch', () => {
    const d = twoTower.dim;
    const u = twoTower.userVector(split.testUsers[0]!)!;
    expect(Math.hypot(...u)).toBeCloseTo(1, 5);
    expect(Math.hypot(...twoTower.itemVectors.subarray(7 * d, 8 * d))).toBeCloseTo(1, 5);
    const one = twoTower.scores(split.testUsers[0]!);
    let dot = 0;
    for (let a = 0; a < d; a++) dot += u[a]! * twoTower.itemVectors[7 * d + a]!;
    expect(one[7]).toBeCloseTo(dot, 5);
    const many = twoTower.scoresMany([split.testUsers[1]!, split.testUsers[0]!]);
    expect(Array.from(many[1]!)).toEqual(Array.from(one));
  });

  it('learns taste: beats popularity; without the sampled-softmax correction it buries popular items', () => {
    const popularity = evaluateRecommender(new Popularity(split.train), split);
    const corrected = evaluateRecommender(twoTower, split);
    const uncorrected = evaluateRecommender(new TwoTower(split.train, { seed: 2, correction: false }), split);
    expect(corrected.recall).toBeGreaterThan(1.1 * popularity.recall);
    expect(corrected.recall).toBeGreaterThan(uncorrected.recall);
    expect(uncorrected.novelty).toBeGreaterThan(corrected.novelty + 1);
  });

  it('is seeded, serves a newer history without retraining, and refuses bad options', () => {
    const again = new TwoTower(split.train, { seed: 2 });
    expect(Array.from(again.itemVectors.subarray(0, 64))).toEqual(
      Array.from(twoTower.itemVectors.subarray(0, 64)),
    );
    // A user absent from the log has no vector and gets popularity; once a newer log gives them a history, they do.
    const absent: InteractionLog = { ...split.train, users: split.train.users + 1 };
    again.serve(absent);
    expect(again.userVector(split.train.users)).toBeUndefined();
    expect(Array.from(again.scores(split.train.users))).toEqual(Array.from(new Popularity(absent).scores()));
    const withNewUser: InteractionLog = {
      ...absent,
      user: Uint32Array.of(...split.train.user, split.train.users, split.train.users),
      item: Uint32Array.of(...split.train.item, 3, 8),
      time: Float64Array.of(...split.train.time, 0, 1),
    };
    again.serve(withNewUser);
    expect(again.userVector(split.train.users)).toBeDefined();
    expect(() => new TwoTower(split.train, { temperature: 0 })).toThrow('temperature must be > 0, got 0');
    expect(() => new TwoTower(split.train, { dim: 2.5 })).toThrow('dim must be a whole number ≥ 1, got 2.5');
  });
});

describe('the two-stage system', () => {
  const models = fitCandidateModels(inner.train, { alsIterations: 4 });
  const system = new TwoStageRecommender(models, inner.train, { perSource: 50 });

  it('candidates: both sources, nothing seen or unreleased, features as of the request', () => {
    const t = 5;
    const user = inner.testUsers[t]!;
    const time = inner.testTimes[t]!;
    const c = system.candidates(user, time);
    expect(c.twoTower.length).toBe(50);
    expect(c.knn.length).toBe(50);
    expect(new Set(c.items)).toEqual(new Set([...c.twoTower, ...c.knn]));
    const seen = new Set<number>();
    for (let e = 0; e < inner.train.user.length; e++)
      if (inner.train.user[e] === user) seen.add(inner.train.item[e]!);
    const width = RANKER_FEATURES.length;
    expect(c.features.length).toBe(c.items.length * width);
    c.items.forEach((i, r) => {
      expect(seen.has(i)).toBe(false);
      expect(log.released![i]!).toBeLessThanOrEqual(time);
      // Interactions with the item before the request and in the week before, counted by brute force.
      let before = 0;
      let week = 0;
      for (let e = 0; e < inner.train.item.length; e++) {
        if (inner.train.item[e] !== i || inner.train.time[e]! >= time) continue;
        before++;
        if (inner.train.time[e]! >= time - 7 * DAY) week++;
      }
      expect(c.features[r * width + 5]).toBeCloseTo(Math.log1p(before), 12);
      expect(c.features[r * width + 6]).toBeCloseTo(Math.log1p(week), 12);
      expect(c.features[r * width + 7]).toBeCloseTo((time - log.released![i]!) / DAY, 9);
    });
  });

  it('no feature sees the future: adding interactions after the request changes none of them', () => {
    const t = 9;
    const user = inner.testUsers[t]!;
    const time = inner.testTimes[t]!;
    const before = system.candidates(user, time);
    const later: InteractionLog = {
      ...inner.train,
      user: Uint32Array.of(...inner.train.user, 0, 1, 2),
      item: Uint32Array.from([...inner.train.item, ...before.items.subarray(0, 3)]),
      time: Float64Array.of(...inner.train.time, time + 1, time + DAY, time + 2 * DAY),
    };
    const other = new TwoStageRecommender(models, later, { perSource: 50 });
    const after = other.candidates(user, time);
    expect(Array.from(after.items)).toEqual(Array.from(before.items));
    const width = RANKER_FEATURES.length;
    for (let r = 0; r < before.items.length; r++)
      for (const f of [5, 6, 7, 9])
        expect(after.features[r * width + f]).toBe(before.features[r * width + f]);
  });

  it('the ranker is trained before it ranks; re-ranking with λ = 1 and no boost is the ranker’s order', () => {
    const untrained = new TwoStageRecommender(models, inner.train);
    expect(() => untrained.rank(0, 0)).toThrow('train the ranker first');
    const info = system.trainRanker(inner, { maxRequests: 400, trees: 30 });
    expect(info.requests).toBe(400);
    expect(info.rows).toBe(400 * 21);
    const ranked = system.rank(inner.testUsers[3]!, inner.testTimes[3]!);
    expect(new Set(ranked.items)).toEqual(new Set(ranked.candidates.items));
    for (let r = 1; r < ranked.scores.length; r++)
      expect(ranked.scores[r]!).toBeLessThanOrEqual(ranked.scores[r - 1]!);
    const plain = new TwoStageRecommender(models, inner.train, {
      perSource: 50,
      mmrLambda: 1,
      freshnessBoost: 0,
    });
    expect(Array.from(plain.rerank(ranked, inner.testTimes[3]!, 10))).toEqual(
      Array.from(ranked.items.subarray(0, 10)),
    );
    const diverse = new TwoStageRecommender(models, inner.train, { perSource: 50, mmrLambda: 0.3 });
    const picked = diverse.rerank(ranked, inner.testTimes[3]!, 10);
    expect(new Set(picked).size).toBe(10);
    const spread = (items: ArrayLike<number>) => {
      const { itemVectors, dim } = models.twoTower;
      let s = 0;
      for (let a = 0; a < 10; a++)
        for (let b = a + 1; b < 10; b++) {
          let dot = 0;
          for (let k = 0; k < dim; k++)
            dot += itemVectors[items[a]! * dim + k]! * itemVectors[items[b]! * dim + k]!;
          s += 1 - dot;
        }
      return s;
    };
    expect(spread(picked)).toBeGreaterThan(spread(ranked.items));
    expect(() => new TwoStageRecommender(models, inner.train, { mmrLambda: 2 })).toThrow(
      'mmrLambda must be in [0, 1], got 2',
    );
  });

  it('end to end: the ranked candidates beat each source alone; a user with no history gets recent popularity', () => {
    system.serve(split.train);
    const stages = evaluateStages(system, split, { deep: 50 });
    const knn = evaluateRecommender(models.knn, split);
    expect(stages.ranked.recall).toBeGreaterThan(stages.retrieved.recall);
    expect(stages.ranked.recall).toBeGreaterThan(knn.recall);
    expect(stages.candidateRecall).toBeGreaterThanOrEqual(stages.ranked.recallDeep!);
    // Cold start: the candidates are the serving log's 100 most taken items of its last week, ranked on what the
    // ranker knows of the items.
    const end = split.train.time.reduce((a, b) => Math.max(a, b));
    const recent = new Float64Array(log.items);
    split.train.item.forEach((i, e) => {
      if (split.train.time[e]! >= end - 7 * DAY) recent[i]!++;
    });
    const top100 = new Set(
      Array.from(recent.keys())
        .sort((a, b) => recent[b]! - recent[a]! || a - b)
        .slice(0, 100),
    );
    const stranger = system.recommend(log.users + 5, end, 5);
    expect(stranger.length).toBe(5);
    for (const i of stranger) expect(top100.has(i)).toBe(true);
    system.serve(inner.train);
  });
});
