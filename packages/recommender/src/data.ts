import { gaussian, mulberry32 } from '@mle/datasets';

/** An interaction log: event e is user[e] touching item[e] at time[e] (seconds from the log's start). */
export interface InteractionLog {
  users: number;
  items: number;
  user: Uint32Array;
  item: Uint32Array;
  time: Float64Array;
  /** The star rating (1–5) the user gave, where the log has ratings (explicit feedback). */
  rating?: Uint8Array;
}

export interface GeneratorOptions {
  users?: number;
  items?: number;
  interactions?: number;
  /** Dimensions of the hidden taste vectors. Default 16. */
  factors?: number;
  /** Popular items drawn as candidates per interaction, of which the user picks the one they like best. Default 24. */
  candidates?: number;
  /** How strongly taste decides the pick among the candidates (0: at random). Default 10. */
  taste?: number;
  /** Days the log spans. Default 180. */
  days?: number;
  seed?: number;
}

/** Indices 0…n−1 drawn with probability ∝ 1 / (i + 1)^exponent, by binary search on the cumulative weights. */
function zipfSampler(n: number, exponent: number, random: () => number): () => number {
  const cumulative = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) cumulative[i] = total += 1 / (i + 1) ** exponent;
  return () => {
    const target = random() * total;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cumulative[mid]! < target) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

/**
 * A seeded interaction log with the structure recommenders exploit: every user and item has a hidden taste vector
 * (standard normal / √factors), user activity and item popularity follow power laws (ids in order of expected
 * activity and popularity: 0 is the busiest user and the most popular item), and each interaction is a choice: the
 * user is drawn by activity, `candidates` items are drawn by popularity, and the user takes the one maximising
 * taste · (user · item) + Gumbel noise — so popularity decides what is seen and taste what is chosen. Timestamps are
 * uniform over `days`. Repeats (a user taking an item again) happen, as in real logs. Each interaction also
 * carries a rating, 1–5: round(1.5 + 8·(user · item) + noise), for explicit-feedback models.
 */
export function generateInteractions(options: GeneratorOptions = {}): InteractionLog {
  const {
    users = 10_000,
    items = 5_000,
    interactions = 1_000_000,
    factors = 16,
    candidates = 24,
    taste = 10,
    days = 180,
    seed = 1,
  } = options;
  for (const [name, v] of Object.entries({ users, items, interactions, factors, candidates }))
    if (!Number.isSafeInteger(v) || v < 1)
      throw new RangeError(`generateInteractions: ${name} must be a whole number ≥ 1, got ${v}`);
  const random = mulberry32(seed);
  const normal = gaussian(random);
  const scale = 1 / Math.sqrt(factors);
  const P = Float64Array.from({ length: users * factors }, () => normal() * scale);
  const Q = Float64Array.from({ length: items * factors }, () => normal() * scale);
  const drawUser = zipfSampler(users, 0.8, random);
  const drawItem = zipfSampler(items, 1.0, random);
  const user = new Uint32Array(interactions);
  const item = new Uint32Array(interactions);
  const time = new Float64Array(interactions);
  const rating = new Uint8Array(interactions);
  // Ratings draw from their own stream, so adding them left every other draw of the log as it was.
  const ratingNoise = gaussian(mulberry32((seed ^ 0x5bd1e995) >>> 0));
  for (let e = 0; e < interactions; e++) {
    const u = drawUser();
    let best = 0;
    let bestValue = Number.NEGATIVE_INFINITY;
    let bestDot = 0;
    for (let c = 0; c < candidates; c++) {
      const i = drawItem();
      let dot = 0;
      for (let f = 0; f < factors; f++) dot += P[u * factors + f]! * Q[i * factors + f]!;
      const value = taste * dot - Math.log(-Math.log(1 - random() + 1e-300)); // + Gumbel(0, 1)
      if (value > bestValue) {
        bestValue = value;
        best = i;
        bestDot = dot;
      }
    }
    user[e] = u;
    item[e] = best;
    time[e] = random() * days * 86_400;
    rating[e] = Math.min(5, Math.max(1, Math.round(1.5 + 8 * bestDot + 0.6 * ratingNoise())));
  }
  return { users, items, user, item, time, rating };
}

/** One held-out interaction per test user. */
export interface Split {
  train: InteractionLog;
  /** Users with a held-out item, and that item. */
  testUsers: Uint32Array;
  testItems: Uint32Array;
  /** The held-out interactions' ratings, where the log has ratings. */
  testRatings?: Uint8Array;
}

/**
 * Leave-last-out by time: for each user, the held-out item is their last interaction with an item they had not
 * touched before (a recommender is asked for something new, and the seen items are excluded from its answers);
 * every interaction before it is training data and every one after it (repeats of known items) is dropped, so no
 * training row comes from the future of the test item. Users with no such interaction, or nothing before it, are
 * not tested.
 */
export function leaveLastOut(log: InteractionLog): Split {
  const n = log.user.length;
  const order = Array.from({ length: n }, (_, e) => e).sort(
    (a, b) => log.user[a]! - log.user[b]! || log.time[a]! - log.time[b]! || a - b,
  );
  const keep = new Uint8Array(n);
  const testUsers: number[] = [];
  const testItems: number[] = [];
  const testRatings: number[] = [];
  for (let start = 0; start < n; ) {
    const u = log.user[order[start]!]!;
    let end = start;
    while (end < n && log.user[order[end]!] === u) end++;
    // The user's last first-time item: scan forward, remembering where each new item first appeared.
    const seen = new Set<number>();
    let heldOut = -1;
    for (let p = start; p < end; p++) {
      const i = log.item[order[p]!]!;
      if (!seen.has(i)) {
        seen.add(i);
        heldOut = p;
      }
    }
    if (heldOut > start) {
      for (let p = start; p < heldOut; p++) keep[order[p]!] = 1;
      testUsers.push(u);
      testItems.push(log.item[order[heldOut]!]!);
      if (log.rating) testRatings.push(log.rating[order[heldOut]!]!);
    } else for (let p = start; p < end; p++) keep[order[p]!] = 1;
    start = end;
  }
  const rows = keep.reduce((s, k) => s + k, 0);
  const train: InteractionLog = {
    users: log.users,
    items: log.items,
    user: new Uint32Array(rows),
    item: new Uint32Array(rows),
    time: new Float64Array(rows),
    rating: log.rating ? new Uint8Array(rows) : undefined,
  };
  for (let e = 0, r = 0; e < n; e++) {
    if (!keep[e]) continue;
    train.user[r] = log.user[e]!;
    train.item[r] = log.item[e]!;
    if (log.rating) train.rating![r] = log.rating[e]!;
    train.time[r++] = log.time[e]!;
  }
  return {
    train,
    testUsers: Uint32Array.from(testUsers),
    testItems: Uint32Array.from(testItems),
    testRatings: log.rating ? Uint8Array.from(testRatings) : undefined,
  };
}
