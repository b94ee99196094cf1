import { mulberry32 } from '@mle/datasets';
import { type Ranker, type RankingData, trainLambdaMart } from '@mle/ranking';
import { ImplicitAls } from './als.js';
import type { InteractionLog, Split } from './data.js';
import { type EvaluateOptions, evaluateLists, type OfflineMetrics } from './evaluate.js';
import { Hnsw } from './hnsw.js';
import { type SparseCounts, userMatrix } from './matrix.js';
import { ItemKnn } from './models.js';
import { topK } from './top-k.js';
import { TwoTower, type TwoTowerOptions } from './two-tower.js';

const DAY = 86_400;
const FRESH_DAYS = 14;

/** The ranker's features, in column order: user, item and cross features, all as of the request's time. */
export const RANKER_FEATURES = [
  'two-tower cosine',
  'two-tower rank',
  'item-kNN score',
  'item-kNN rank',
  'ALS score',
  'item interactions before the request (log)',
  'item interactions in the 7 days before (log)',
  'item age (days; the back catalogue counts from the log start)',
  'user history length (log)',
  'days since the user’s last interaction',
] as const;

/** The models the first stage draws candidates from, all trained on the same log. */
export interface CandidateModels {
  twoTower: TwoTower;
  knn: ItemKnn;
  als: ImplicitAls;
  /** HNSW over the two-tower item vectors (cosine). */
  index: Hnsw;
}

export interface CandidateModelOptions {
  twoTower?: TwoTowerOptions;
  /** HNSW's M and efConstruction. */
  M?: number;
  efConstruction?: number;
  alsIterations?: number;
  onModel?: (name: string, seconds: number) => void;
}

export function fitCandidateModels(
  train: InteractionLog,
  options: CandidateModelOptions = {},
): CandidateModels {
  const time = <T>(name: string, make: () => T): T => {
    const start = performance.now();
    const out = make();
    options.onModel?.(name, (performance.now() - start) / 1000);
    return out;
  };
  const knn = time('item-kNN', () => new ItemKnn(train));
  const als = time(
    'ALS',
    () => new ImplicitAls(train, { factors: 32, iterations: options.alsIterations ?? 6 }),
  );
  const twoTower = time('two-tower', () => new TwoTower(train, options.twoTower));
  const index = time('HNSW', () => {
    const d = twoTower.dim;
    const hnsw = new Hnsw(d, train.items, {
      M: options.M ?? 16,
      efConstruction: options.efConstruction ?? 200,
      metric: 'cosine',
    });
    for (let i = 0; i < train.items; i++) hnsw.add(twoTower.itemVectors.subarray(i * d, (i + 1) * d));
    return hnsw;
  });
  return { twoTower, knn, als, index };
}

export interface TwoStageOptions {
  /** Candidates taken from each source (two-tower + HNSW, item-kNN). Default 100. */
  perSource?: number;
  /** HNSW's efSearch. Default 200. */
  efSearch?: number;
  /** The ranked candidates the re-ranker chooses from. Default 50. */
  rerankDepth?: number;
  /** MMR's λ: 1 ranks by relevance alone, lower trades relevance for dissimilarity to what is already chosen. Default 0.8. */
  mmrLambda?: number;
  /** Added to a fresh item's relevance before MMR, fading as e^(−age / 14 days). Default 0.2. */
  freshnessBoost?: number;
}

/** One request's candidates, their features (rows × RANKER_FEATURES.length) and each source's own list. */
export interface Candidates {
  items: Int32Array;
  features: Float64Array;
  /** The two-tower + HNSW source's list, best first. */
  twoTower: Int32Array;
  /** The item-kNN source's list, best first. */
  knn: Int32Array;
}

/** Per-item event times (sorted) and per-user history of a log, for point-in-time features. */
class History {
  readonly itemOffsets: Uint32Array;
  readonly itemTimes: Float64Array;
  readonly lastSeen: Float64Array;
  readonly released: Float64Array;
  readonly recentPopular: Int32Array;

  constructor(
    readonly log: InteractionLog,
    readonly byUser: SparseCounts = userMatrix(log),
  ) {
    this.itemOffsets = new Uint32Array(log.items + 1);
    for (const i of log.item) this.itemOffsets[i + 1]!++;
    for (let i = 0; i < log.items; i++) this.itemOffsets[i + 1]! += this.itemOffsets[i]!;
    const next = this.itemOffsets.slice(0, log.items);
    this.itemTimes = new Float64Array(log.item.length);
    this.lastSeen = new Float64Array(log.users).fill(Number.NaN);
    let end = 0;
    for (let e = 0; e < log.item.length; e++) {
      this.itemTimes[next[log.item[e]!]!++] = log.time[e]!;
      const u = log.user[e]!;
      if (!(this.lastSeen[u]! >= log.time[e]!)) this.lastSeen[u] = log.time[e]!;
      end = Math.max(end, log.time[e]!);
    }
    for (let i = 0; i < log.items; i++)
      this.itemTimes.subarray(this.itemOffsets[i]!, this.itemOffsets[i + 1]!).sort();
    this.released = log.released ?? new Float64Array(log.items);
    // The cold-start list: the items most taken in the log's last 7 days.
    const recent = Float64Array.from({ length: log.items }, (_, i) =>
      this.countBetween(i, end - 7 * DAY, end + 1),
    );
    this.recentPopular = topK(recent, 100);
  }

  /** Interactions with item i in [from, to). */
  countBetween(i: number, from: number, to: number): number {
    const times = this.itemTimes;
    const lower = (t: number) => {
      let lo = this.itemOffsets[i]!;
      let hi = this.itemOffsets[i + 1]!;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (times[mid]! < t) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    };
    return lower(to) - lower(from);
  }

  seen(user: number): Uint32Array {
    if (user >= this.byUser.rows) return new Uint32Array(0);
    return this.byUser.indices.subarray(this.byUser.offsets[user], this.byUser.offsets[user + 1]);
  }
}

/**
 * The recommender as a system, in the shape production recommenders take (Covington et al. 2016): candidate
 * generation from two sources — the two-tower model's user vector searched in an HNSW index of its item vectors,
 * and item-kNN over the user's history — merged; a LambdaMART ranker (@mle/ranking) over user, item and cross
 * features computed as of the request's time; and a re-ranking pass that trades a little relevance for diversity
 * (maximal marginal relevance, Carbonell & Goldstein 1998) and freshness. Every list leaves out what the user has
 * seen and what is not yet released at the request. A user with no history (cold start) gets the serving log's 100
 * most taken items of its last week as candidates, ranked on what the ranker knows of the items.
 */
export class TwoStageRecommender {
  readonly perSource: number;
  readonly efSearch: number;
  readonly rerankDepth: number;
  readonly mmrLambda: number;
  readonly freshnessBoost: number;
  ranker: Ranker | undefined;
  private history: History;

  constructor(
    readonly models: CandidateModels,
    history: InteractionLog,
    options: TwoStageOptions = {},
  ) {
    const {
      perSource = 100,
      efSearch = 200,
      rerankDepth = 50,
      mmrLambda = 0.8,
      freshnessBoost = 0.2,
    } = options;
    for (const [name, v] of Object.entries({ perSource, efSearch, rerankDepth }))
      if (!Number.isInteger(v) || v < 1)
        throw new RangeError(`TwoStageRecommender: ${name} must be a whole number ≥ 1, got ${v}`);
    if (!(mmrLambda >= 0 && mmrLambda <= 1))
      throw new RangeError(`TwoStageRecommender: mmrLambda must be in [0, 1], got ${mmrLambda}`);
    this.perSource = perSource;
    this.efSearch = efSearch;
    this.rerankDepth = rerankDepth;
    this.mmrLambda = mmrLambda;
    this.freshnessBoost = freshnessBoost;
    this.history = new History(history);
  }

  /** Serve from a newer history: the models keep their training and re-read the users' histories. */
  serve(history: InteractionLog): this {
    const byUser = userMatrix(history);
    this.models.twoTower.serve(history);
    this.models.knn.serve(history, byUser);
    this.models.als.serve(history, byUser);
    this.history = new History(history, byUser);
    return this;
  }

  private available(i: number, time: number, seen: Set<number>): boolean {
    return this.history.released[i]! <= time && !seen.has(i);
  }

  /**
   * The two-tower source alone: the user's vector searched in the HNSW index for 2k items (over-fetching), of which
   * the first k the user has not seen and that are released by `time`. Empty for a user with no history.
   */
  retrieve(
    user: number,
    time: number,
    k: number,
    vector = this.models.twoTower.userVector(user),
    seen = new Set(this.history.seen(user)),
  ): Int32Array {
    if (!vector) return new Int32Array(0);
    const { index, twoTower } = this.models;
    const fetch = Math.min(2 * k, twoTower.itemVectors.length / twoTower.dim);
    const found = index.search(vector, fetch, Math.max(this.efSearch, fetch));
    const out: number[] = [];
    for (const i of found.ids) {
      if (out.length === k) break;
      if (this.available(i, time, seen)) out.push(i);
    }
    return Int32Array.from(out);
  }

  /** Stage one: the union of both sources' candidates for a request at `time`, with their features. */
  candidates(user: number, time: number): Candidates {
    const { twoTower, knn } = this.models;
    const seen = new Set(this.history.seen(user));
    const vector = twoTower.userVector(user);
    if (!vector) {
      const items = Int32Array.from(
        Array.from(this.history.recentPopular).filter((i) => this.available(i, time, seen)),
      );
      const features = this.featuresOf(user, time, items, new Map(), new Map());
      return { items, features, twoTower: new Int32Array(0), knn: new Int32Array(0) };
    }
    const towerRank = new Map<number, number>();
    for (const i of this.retrieve(user, time, this.perSource, vector, seen)) towerRank.set(i, towerRank.size);
    const knnScores = knn.scores(user);
    for (let i = 0; i < knnScores.length; i++)
      if (!this.available(i, time, seen)) knnScores[i] = Number.NEGATIVE_INFINITY;
    const knnRank = new Map<number, number>();
    for (const i of topK(knnScores, this.perSource)) if (i >= 0) knnRank.set(i, knnRank.size);
    const items = Int32Array.from(new Set([...towerRank.keys(), ...knnRank.keys()]));
    return {
      items,
      features: this.featuresOf(user, time, items, towerRank, knnRank, knnScores),
      twoTower: Int32Array.from(towerRank.keys()),
      knn: Int32Array.from(knnRank.keys()),
    };
  }

  private featuresOf(
    user: number,
    time: number,
    items: Int32Array,
    towerRank: Map<number, number>,
    knnRank: Map<number, number>,
    knnScores?: Float64Array,
  ): Float64Array {
    const { twoTower, als } = this.models;
    const width = RANKER_FEATURES.length;
    const out = new Float64Array(items.length * width);
    const u = twoTower.userVector(user);
    const d = twoTower.dim;
    const f = als.factors;
    const h = this.history;
    const historyLength = user < h.byUser.rows ? h.byUser.offsets[user + 1]! - h.byUser.offsets[user]! : 0;
    const lastSeen = user < h.lastSeen.length ? h.lastSeen[user]! : Number.NaN;
    items.forEach((i, r) => {
      let cosine = 0;
      if (u) for (let a = 0; a < d; a++) cosine += u[a]! * twoTower.itemVectors[i * d + a]!;
      let alsScore = 0;
      if (historyLength > 0)
        for (let a = 0; a < f; a++) alsScore += als.userFactors[user * f + a]! * als.itemFactors[i * f + a]!;
      const row = [
        cosine,
        towerRank.get(i) ?? this.perSource,
        knnScores?.[i] ?? 0,
        knnRank.get(i) ?? this.perSource,
        alsScore,
        Math.log1p(h.countBetween(i, Number.NEGATIVE_INFINITY, time)),
        Math.log1p(h.countBetween(i, time - 7 * DAY, time)),
        (time - h.released[i]!) / DAY,
        Math.log1p(historyLength),
        Number.isNaN(lastSeen) ? 365 : (time - lastSeen) / DAY,
      ];
      out.set(row, r * width);
    });
    return out;
  }

  /**
   * Stage two's training: LambdaMART on the candidates of past requests (`requests`: users, the item each took and
   * when), each candidate labelled 1 if it is the item taken, with `negatives` of the other candidates drawn at
   * random per request (so the trees see every request's positive at a fraction of the rows). Requests whose item
   * is not among the candidates carry no gradient and are left out. Returns what it trained on.
   */
  trainRanker(
    requests: Pick<Split, 'testUsers' | 'testItems' | 'testTimes'>,
    options: { maxRequests?: number; negatives?: number; seed?: number; trees?: number } = {},
  ): { requests: number; rows: number; seconds: number } {
    const { maxRequests = 2000, negatives = 20, seed = 1, trees = 60 } = options;
    const random = mulberry32(seed);
    const order = Array.from(requests.testUsers.keys());
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    const X: number[] = [];
    const relevance: number[] = [];
    const offsets = [0];
    for (const t of order) {
      if (offsets.length > maxRequests) break;
      const c = this.candidates(requests.testUsers[t]!, requests.testTimes[t]!);
      const at = c.items.indexOf(requests.testItems[t]!);
      if (at < 0) continue;
      const others = Array.from(c.items.keys()).filter((r) => r !== at);
      for (let p = 0; p < Math.min(negatives, others.length); p++) {
        const q = p + Math.floor(random() * (others.length - p));
        [others[p], others[q]] = [others[q]!, others[p]!];
      }
      const width = RANKER_FEATURES.length;
      for (const r of [at, ...others.slice(0, negatives)]) {
        relevance.push(r === at ? 1 : 0);
        for (let f = 0; f < width; f++) X.push(c.features[r * width + f]!);
      }
      offsets.push(relevance.length);
    }
    const data: RankingData = {
      features: RANKER_FEATURES.length,
      X: Float64Array.from(X),
      relevance: Uint8Array.from(relevance),
      offsets: Uint32Array.from(offsets),
    };
    const start = performance.now();
    this.ranker = trainLambdaMart(data, { nEstimators: trees, seed }, 10);
    return {
      requests: offsets.length - 1,
      rows: relevance.length,
      seconds: (performance.now() - start) / 1000,
    };
  }

  /** Stage two: the candidates ordered by the ranker (and the candidates themselves). */
  rank(user: number, time: number): { items: Int32Array; scores: Float64Array; candidates: Candidates } {
    if (!this.ranker) throw new Error('TwoStageRecommender.rank: train the ranker first (trainRanker)');
    const c = this.candidates(user, time);
    const scores = this.ranker.score({
      features: RANKER_FEATURES.length,
      X: c.features,
      relevance: new Uint8Array(c.items.length),
      offsets: Uint32Array.of(0, c.items.length),
    });
    const order = Array.from(c.items.keys()).sort(
      (a, b) => scores[b]! - scores[a]! || c.items[a]! - c.items[b]!,
    );
    return {
      items: Int32Array.from(order, (r) => c.items[r]!),
      scores: Float64Array.from(order, (r) => scores[r]!),
      candidates: c,
    };
  }

  /**
   * Stage three: from the ranker's top `rerankDepth`, choose k one at a time by maximal marginal relevance —
   * λ·(relevance + boost·freshness) − (1 − λ)·(the largest cosine to an item already chosen), with relevance the
   * ranker's score scaled to [0, 1] over the depth, freshness e^(−age / 14 days) for a new item (0 for the back
   * catalogue), and cosine by the two-tower item vectors.
   */
  rerank(ranked: { items: Int32Array; scores: Float64Array }, time: number, k = 10): Int32Array {
    const depth = Math.min(this.rerankDepth, ranked.items.length);
    const items = ranked.items.subarray(0, depth);
    const scores = ranked.scores.subarray(0, depth);
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (const s of scores) {
      lo = Math.min(lo, s);
      hi = Math.max(hi, s);
    }
    const released = this.history.released;
    const value = Float64Array.from(items, (i, r) => {
      const relevance = hi > lo ? (scores[r]! - lo) / (hi - lo) : 1;
      const fresh = released[i]! > 0 ? Math.exp(-(time - released[i]!) / (FRESH_DAYS * DAY)) : 0;
      return relevance + this.freshnessBoost * fresh;
    });
    const { itemVectors, dim } = this.models.twoTower;
    const closest = new Float64Array(depth).fill(Number.NEGATIVE_INFINITY);
    const taken = new Uint8Array(depth);
    const out: number[] = [];
    while (out.length < Math.min(k, depth)) {
      let best = -1;
      let bestValue = Number.NEGATIVE_INFINITY;
      for (let r = 0; r < depth; r++) {
        if (taken[r]) continue;
        const penalty = out.length === 0 ? 0 : closest[r]!;
        const v = this.mmrLambda * value[r]! - (1 - this.mmrLambda) * penalty;
        if (v > bestValue) {
          bestValue = v;
          best = r;
        }
      }
      taken[best] = 1;
      const chosen = items[best]!;
      out.push(chosen);
      for (let r = 0; r < depth; r++) {
        if (taken[r]) continue;
        let dot = 0;
        for (let a = 0; a < dim; a++)
          dot += itemVectors[items[r]! * dim + a]! * itemVectors[chosen * dim + a]!;
        if (dot > closest[r]!) closest[r] = dot;
      }
    }
    return Int32Array.from(out);
  }

  /** The full system's top k for a request. */
  recommend(user: number, time: number, k = 10): Int32Array {
    return this.rerank(this.rank(user, time), time, k);
  }
}

export interface StageMetrics {
  stage: string;
  metrics: OfflineMetrics;
}

/**
 * The offline metrics of every stage on a split's test requests: two-tower + HNSW alone (its candidate list, so
 * `deep` should not exceed perSource), the candidate union (its mean size, and the share of held-out items in it),
 * the ranker's order, and the re-ranked top k. (The single models are evaluated with evaluateRecommender.)
 */
export function evaluateStages(system: TwoStageRecommender, split: Split, options: EvaluateOptions = {}) {
  const k = options.k ?? 10;
  const retrieved: Int32Array[] = [];
  const ranked: Int32Array[] = [];
  const reranked: Int32Array[] = [];
  let sizes = 0;
  for (let t = 0; t < split.testUsers.length; t++) {
    const user = split.testUsers[t]!;
    const time = split.testTimes[t]!;
    const r = system.rank(user, time);
    retrieved.push(r.candidates.twoTower);
    sizes += r.items.length;
    ranked.push(r.items);
    reranked.push(system.rerank(r, time, k));
  }
  const vectors = { data: system.models.twoTower.itemVectors, dim: system.models.twoTower.dim };
  const candidateRecall =
    ranked.reduce((n, list, t) => n + (list.includes(split.testItems[t]!) ? 1 : 0), 0) /
    split.testUsers.length;
  return {
    meanCandidates: sizes / split.testUsers.length,
    candidateRecall,
    retrieved: evaluateLists(split, (t) => retrieved[t]!, { ...options, vectors }),
    ranked: evaluateLists(split, (t) => ranked[t]!, { ...options, vectors }),
    reranked: evaluateLists(split, (t) => reranked[t]!, { ...options, vectors }),
  };
}
