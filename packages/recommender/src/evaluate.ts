import type { Split } from './data.js';
import { userMatrix } from './matrix.js';
import type { Recommender } from './models.js';
import { topK } from './top-k.js';

export interface OfflineMetrics {
  /** The share of test users whose held-out item is in their top k (recall@k with one held-out item). */
  recall: number;
  /** Mean NDCG@k with one relevant item: 1 / log2(rank + 2) if it is in the top k, else 0. */
  ndcg: number;
  /** Recall at the deeper cut `deep`, where asked for (how good a model is as a candidate source). */
  recallDeep?: number;
  /** The share of the catalogue recommended to anyone. */
  coverage: number;
  /** Mean −log2 of a recommended item's share of training interactions: higher recommends less popular items. */
  novelty: number;
  /** Mean pairwise cosine distance within a top k, by the given item vectors, where given. */
  diversity?: number;
  /** The share of recommended items released in the 14 days before the request. */
  freshShare: number;
  users: number;
}

export interface EvaluateOptions {
  k?: number;
  /** Also report recall at this deeper cut (the lists must be at least this long). */
  deep?: number;
  /** Unit item vectors (items × dim, row-major) for the diversity of each top k. */
  vectors?: { data: Float32Array; dim: number };
}

const FRESH_SECONDS = 14 * 86_400;

/** The items each test user touched in training, and the items not yet released at each test user's request. */
export function requestContext(split: Split): {
  seen: (t: number) => Uint32Array;
  unreleased: (t: number) => number[];
} {
  const byUser = userMatrix(split.train);
  const released = split.train.released;
  const byRelease = released
    ? Array.from(released.keys())
        .filter((i) => released[i]! > 0)
        .sort((a, b) => released[b]! - released[a]!)
    : [];
  return {
    seen: (t) => {
      const u = split.testUsers[t]!;
      return byUser.indices.subarray(byUser.offsets[u], byUser.offsets[u + 1]);
    },
    unreleased: (t) => {
      const out: number[] = [];
      for (const i of byRelease) {
        if (released![i]! <= split.testTimes[t]!) break;
        out.push(i);
      }
      return out;
    },
  };
}

/**
 * Offline evaluation of ranked lists against leave-last-out: `listFor(t)` is test user t's list, best first, with
 * the items they touched in training and the items not yet released at their request already left out; each is
 * scored against the user's held-out item.
 */
export function evaluateLists(
  split: Split,
  listFor: (t: number) => ArrayLike<number>,
  options: EvaluateOptions = {},
): OfflineMetrics {
  const { k = 10, deep, vectors } = options;
  const popularity = new Float64Array(split.train.items);
  for (const i of split.train.item) popularity[i]!++;
  const total = split.train.item.length;
  const released = split.train.released;
  const recommended = new Uint8Array(split.train.items);
  let hits = 0;
  let deepHits = 0;
  let ndcg = 0;
  let novelty = 0;
  let fresh = 0;
  let shown = 0;
  let diversity = 0;
  for (let t = 0; t < split.testUsers.length; t++) {
    const list = listFor(t);
    const target = split.testItems[t]!;
    const time = split.testTimes[t]!;
    const top: number[] = [];
    for (let r = 0; r < list.length && top.length < k; r++) if (list[r]! >= 0) top.push(list[r]!);
    const rank = top.indexOf(target);
    if (rank >= 0) {
      hits++;
      ndcg += 1 / Math.log2(rank + 2);
    }
    if (deep !== undefined) {
      for (let r = 0; r < Math.min(deep, list.length); r++)
        if (list[r] === target) {
          deepHits++;
          break;
        }
    }
    for (const i of top) {
      recommended[i] = 1;
      novelty += -Math.log2(Math.max(popularity[i]!, 0.5) / total);
      if (released && released[i]! > 0 && time - released[i]! < FRESH_SECONDS) fresh++;
      shown++;
    }
    if (vectors && top.length > 1) {
      const { data, dim } = vectors;
      let sum = 0;
      for (let a = 0; a < top.length; a++)
        for (let b = a + 1; b < top.length; b++) {
          let dot = 0;
          for (let f = 0; f < dim; f++) dot += data[top[a]! * dim + f]! * data[top[b]! * dim + f]!;
          sum += 1 - dot;
        }
      diversity += sum / ((top.length * (top.length - 1)) / 2);
    }
  }
  const users = split.testUsers.length;
  return {
    recall: hits / users,
    ndcg: ndcg / users,
    recallDeep: deep === undefined ? undefined : deepHits / users,
    coverage: recommended.reduce((s, v) => s + v, 0) / split.train.items,
    novelty: novelty / shown,
    diversity: vectors ? diversity / users : undefined,
    freshShare: fresh / shown,
    users,
  };
}

/**
 * Offline evaluation of a model under leave-last-out: each test user's top k by the model's scores, with the items
 * they touched in training and the items not yet released at their request excluded.
 */
export function evaluateRecommender(
  model: Recommender,
  split: Split,
  options: EvaluateOptions = {},
): OfflineMetrics {
  const context = requestContext(split);
  const length = Math.max(options.k ?? 10, options.deep ?? 0);
  // Scored in batches of 256 users where the model can (one matrix product per batch).
  const batch = model.scoresMany ? 256 : 1;
  let cached: Float64Array[] = [];
  let cachedFrom = -1;
  return evaluateLists(
    split,
    (t) => {
      if (cachedFrom < 0 || t >= cachedFrom + cached.length) {
        cachedFrom = t;
        const users = Array.from(split.testUsers.subarray(t, t + batch));
        cached = model.scoresMany ? model.scoresMany(users) : [model.scores(users[0]!)];
      }
      let scores = cached[t - cachedFrom]!;
      const unreleased = context.unreleased(t);
      if (unreleased.length > 0) {
        scores = scores.slice();
        for (const i of unreleased) scores[i] = Number.NEGATIVE_INFINITY;
      }
      return topK(scores, length, context.seen(t));
    },
    options,
  );
}
