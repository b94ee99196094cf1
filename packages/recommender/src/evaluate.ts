import type { Split } from './data.js';
import { interactionMatrices } from './matrix.js';
import type { Recommender } from './models.js';
import { topK } from './top-k.js';

export interface OfflineMetrics {
  /** The share of test users whose held-out item is in their top k (recall@k with one held-out item). */
  recall: number;
  /** Mean NDCG@k with one relevant item: 1 / log2(rank + 2) if it is in the top k, else 0. */
  ndcg: number;
  /** The share of the catalogue recommended to anyone. */
  coverage: number;
  /** Mean −log2 of a recommended item's share of training interactions: higher recommends less popular items. */
  novelty: number;
  users: number;
}

/**
 * Offline evaluation of leave-last-out: each test user's top k, with the items they touched in training excluded,
 * scored against their held-out item.
 */
export function evaluateRecommender(model: Recommender, split: Split, k = 10): OfflineMetrics {
  const { byUser } = interactionMatrices(split.train);
  const popularity = new Float64Array(split.train.items);
  for (const i of split.train.item) popularity[i]!++;
  const total = split.train.item.length;
  const recommended = new Uint8Array(split.train.items);
  let hits = 0;
  let ndcg = 0;
  let novelty = 0;
  let shown = 0;
  for (let t = 0; t < split.testUsers.length; t++) {
    const u = split.testUsers[t]!;
    const seen = byUser.indices.subarray(byUser.offsets[u], byUser.offsets[u + 1]);
    const top = topK(model.scores(u), k, seen);
    const rank = top.indexOf(split.testItems[t]!);
    if (rank >= 0) {
      hits++;
      ndcg += 1 / Math.log2(rank + 2);
    }
    for (const i of top) {
      if (i < 0) continue;
      recommended[i] = 1;
      novelty += -Math.log2(Math.max(popularity[i]!, 0.5) / total);
      shown++;
    }
  }
  const users = split.testUsers.length;
  return {
    recall: hits / users,
    ndcg: ndcg / users,
    coverage: recommended.reduce((s, v) => s + v, 0) / split.train.items,
    novelty: novelty / shown,
    users,
  };
}
