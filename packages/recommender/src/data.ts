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
  /** When each item entered the catalogue (seconds from the log's start; 0 for the items there from the start). */
  released?: Float64Array;
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
  /** The share of items released during the log (uniformly over it) rather than there from the start. Default 0.3. */
  newItems?: number;
  /** The pull of a new item: added to the value of a just-released item, fading as e^(−age / 14 days). Default 2. */
  freshness?: number;
  seed?: number;
}

const FRESHNESS_DAYS = 14;

/**
 * Indices 0…n−1 drawn with probability ∝ 1 / (i + 1)^exponent in O(1) per draw by Vose's alias method: n columns of
 * equal mass, column i holding index i with probability prob[i] and its alias otherwise; one uniform picks the
 * column (its integer part) and the side (its fraction).
 */
export function zipfSampler(n: number, exponent: number, random: () => number): () => number {
  const weight = Float64Array.from({ length: n }, (_, i) => 1 / (i + 1) ** exponent);
  const total = weight.reduce((s, w) => s + w, 0);
  const prob = Float64Array.from(weight, (w) => (w * n) / total);
  const alias = new Int32Array(n);
  const small: number[] = [];
  const large: number[] = [];
  prob.forEach((p, i) => {
    (p < 1 ? small : large).push(i);
  });
  while (small.length > 0 && large.length > 0) {
    const s = small.pop()!;
    const l = large.pop()!;
    alias[s] = l;
    prob[l] = prob[l]! + prob[s]! - 1;
    (prob[l]! < 1 ? small : large).push(l);
  }
  for (const i of [...small, ...large]) prob[i] = 1; // what rounding left: full columns
  return () => {
    const u = random() * n;
    const column = Math.floor(u);
    return u - column < prob[column]! ? column : alias[column]!;
  };
}

/**
 * A seeded interaction log with the structure recommenders exploit: every user and item has a hidden taste vector
 * (standard normal / √factors), user activity and item popularity follow power laws (ids in order of expected
 * activity and popularity: 0 is the busiest user and the most popular item), and each interaction is a choice: the
 * user is drawn by activity, `candidates` items are drawn by popularity, and the user takes the one maximising
 * taste · (user · item) + freshness · e^(−age / 14 days) + Gumbel noise — so popularity decides what is seen, taste
 * what is chosen, and a new item gets a pull that fades over a fortnight. A share `newItems` of the catalogue is
 * released during the log (at a uniform time; the rest, the back catalogue, is there from the start and has no
 * pull), and an item is only drawn once released. Timestamps are uniform over `days`. Repeats (a user taking an item again) happen, as in real logs. Each
 * interaction also carries a rating, 1–5: round(1.5 + 8·(user · item) + noise), for explicit-feedback models.
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
    newItems = 0.3,
    freshness = 2,
    seed = 1,
  } = options;
  for (const [name, v] of Object.entries({ users, items, interactions, factors, candidates }))
    if (!Number.isSafeInteger(v) || v < 1)
      throw new RangeError(`generateInteractions: ${name} must be a whole number ≥ 1, got ${v}`);
  if (!(newItems >= 0 && newItems < 1))
    throw new RangeError(`generateInteractions: newItems must be in [0, 1), got ${newItems}`);
  if (!(days > 0 && Number.isFinite(days)))
    throw new RangeError(`generateInteractions: days must be a positive number, got ${days}`);
  const random = mulberry32(seed);
  const normal = gaussian(random);
  const scale = 1 / Math.sqrt(factors);
  const P = Float64Array.from({ length: users * factors }, () => normal() * scale);
  const Q = Float64Array.from({ length: items * factors }, () => normal() * scale);
  const span = days * 86_400;
  // Item 0, the most popular, is always there from the start, so a draw at time 0 has something to find.
  const released = Float64Array.from({ length: items }, (_, i) =>
    i > 0 && random() < newItems ? random() * span : 0,
  );
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
    const t = random() * span;
    let best = 0;
    let bestValue = Number.NEGATIVE_INFINITY;
    let bestDot = 0;
    for (let c = 0; c < candidates; c++) {
      let i = drawItem();
      while (released[i]! > t) i = drawItem(); // not out yet: draw again
      let dot = 0;
      for (let f = 0; f < factors; f++) dot += P[u * factors + f]! * Q[i * factors + f]!;
      // A new item's pull; the back catalogue (released at 0) has none.
      const pull =
        released[i]! > 0 ? freshness * Math.exp(-(t - released[i]!) / (FRESHNESS_DAYS * 86_400)) : 0;
      const value = taste * dot + pull - Math.log(-Math.log(1 - random() + 1e-300)); // + Gumbel(0, 1)
      if (value > bestValue) {
        bestValue = value;
        best = i;
        bestDot = dot;
      }
    }
    user[e] = u;
    item[e] = best;
    time[e] = t;
    rating[e] = Math.min(5, Math.max(1, Math.round(1.5 + 8 * bestDot + 0.6 * ratingNoise())));
  }
  return { users, items, user, item, time, rating, released };
}

/** One held-out interaction per test user. */
export interface Split {
  train: InteractionLog;
  /** Users with a held-out item, and that item. */
  testUsers: Uint32Array;
  testItems: Uint32Array;
  /** When each test user took their held-out item: the time of the request a recommender answers. */
  testTimes: Float64Array;
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
  const testTimes: number[] = [];
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
      testTimes.push(log.time[order[heldOut]!]!);
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
    released: log.released,
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
    testTimes: Float64Array.from(testTimes),
    testRatings: log.rating ? Uint8Array.from(testRatings) : undefined,
  };
}
