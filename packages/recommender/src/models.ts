import type { InteractionLog } from './data.js';
import { type SparseCounts, userMatrix } from './matrix.js';

/** A model that scores every item for a user; recommending is taking the top k unseen. */
export interface Recommender {
  readonly name: string;
  /** A score per item for this user (higher first). A user the model never saw gets the popularity fallback. */
  scores(user: number): Float64Array;
  /** The same for many users at once, where the model has a faster way than one at a time. */
  scoresMany?(users: readonly number[]): Float64Array[];
}

/** Items by how often they were taken in training: the baseline, and the fallback for users never seen. */
export class Popularity implements Recommender {
  readonly name = 'popularity';
  readonly counts: Float64Array;

  constructor(train: InteractionLog) {
    this.counts = new Float64Array(train.items);
    for (const i of train.item) this.counts[i]!++;
  }

  scores(): Float64Array {
    return this.counts.slice();
  }
}

/**
 * Item-based k-nearest neighbours (Sarwar et al. 2001; Deshpande & Karypis 2004): the cosine similarity of two items'
 * user sets, |Uᵢ ∩ Uⱼ| / √(|Uᵢ|·|Uⱼ|), keeping each item's `neighbours` most similar; a user's score for item i is
 * the summed similarity of i to the items in their history. Co-occurrences are counted from each user's
 * `maxHistory` most recent distinct items (a cap that bounds the Σ|Iᵤ|² cost of the busiest users).
 */
export class ItemKnn implements Recommender {
  readonly name = 'item-kNN';
  /** Item i's neighbours are neighbour[i·k … (i+1)·k) with similarities similarity[…] (−1 past the end). */
  readonly neighbour: Int32Array;
  readonly similarity: Float64Array;
  private byUser: SparseCounts;
  private fallback: Popularity;

  constructor(
    train: InteractionLog,
    readonly k = 50,
    readonly maxHistory = 200,
  ) {
    const byUser = userMatrix(train);
    this.byUser = byUser;
    this.fallback = new Popularity(train);
    const items = train.items;
    // Each user's most recent distinct items, up to maxHistory.
    const recent: Uint32Array[] = [];
    const taken = new Set<number>();
    const order = Array.from(train.time.keys()).sort((a, b) => train.time[b]! - train.time[a]!);
    const lists: number[][] = Array.from({ length: train.users }, () => []);
    for (const e of order) {
      const u = train.user[e]!;
      const key = u * items + train.item[e]!;
      if (taken.has(key) || lists[u]!.length >= maxHistory) continue;
      taken.add(key);
      lists[u]!.push(train.item[e]!);
    }
    for (let u = 0; u < train.users; u++) recent.push(Uint32Array.from(lists[u]!));
    // The capped histories transposed: the users whose recent items include item i.
    const usersOf: number[][] = Array.from({ length: items }, () => []);
    for (let u = 0; u < train.users; u++) for (const i of recent[u]!) usersOf[i]!.push(u);
    const degree = Float64Array.from(usersOf, (list) => list.length);
    this.neighbour = new Int32Array(items * k).fill(-1);
    this.similarity = new Float64Array(items * k);
    const together = new Float64Array(items);
    const touched: number[] = [];
    for (let i = 0; i < items; i++) {
      for (const u of usersOf[i]!) {
        for (const j of recent[u]!) {
          if (j === i) continue;
          if (together[j] === 0) touched.push(j);
          together[j]!++;
        }
      }
      const best = touched
        .map((j) => [j, together[j]! / Math.sqrt(degree[i]! * degree[j]!)] as const)
        .sort((a, b) => b[1] - a[1] || a[0] - b[0])
        .slice(0, k);
      best.forEach(([j, s], r) => {
        this.neighbour[i * k + r] = j;
        this.similarity[i * k + r] = s;
      });
      for (const j of touched) together[j] = 0;
      touched.length = 0;
    }
  }

  /**
   * Serve from the histories in `log` (newer than the training log, say): the neighbours stay as trained. `byUser`
   * is the log's user × item matrix, for a caller that has built it already.
   */
  serve(log: InteractionLog, byUser = userMatrix(log)): this {
    this.byUser = byUser;
    this.fallback = new Popularity(log);
    return this;
  }

  scores(user: number): Float64Array {
    const { offsets, indices } = this.byUser;
    if (user >= this.byUser.rows || offsets[user] === offsets[user + 1]) return this.fallback.scores();
    const out = new Float64Array(this.byUser.cols);
    for (let p = offsets[user]!; p < offsets[user + 1]!; p++) {
      const j = indices[p]!;
      for (let r = 0; r < this.k; r++) {
        const i = this.neighbour[j * this.k + r]!;
        if (i < 0) break;
        out[i]! += this.similarity[j * this.k + r]!;
      }
    }
    return out;
  }
}
