import {
  Adam,
  add,
  concat,
  crossEntropy,
  div,
  embeddingBag,
  Linear,
  Module,
  manualSeed,
  matmul,
  mul,
  noGrad,
  Parameter,
  ReLU,
  Sequential,
  SparseAdam,
  sqrt,
  sum,
  Tensor,
  take,
  transpose,
} from '@mle/autograd';
import { mulberry32 } from '@mle/datasets';
import { fromArray, type NDArray } from '@mle/tensor';
import type { InteractionLog } from './data.js';
import { Popularity, type Recommender } from './models.js';
import { DotScorer } from './scoring.js';

/** Each user's distinct items in the order they first took them (CSR: user u's are items[offsets[u] … offsets[u + 1])). */
export interface UserSequences {
  offsets: Uint32Array;
  items: Uint32Array;
  /** When the user first took the item. */
  times: Float64Array;
}

export function userSequences(log: InteractionLog): UserSequences {
  const order = Array.from(log.time.keys()).sort(
    (a, b) => log.user[a]! - log.user[b]! || log.time[a]! - log.time[b]! || a - b,
  );
  const offsets = new Uint32Array(log.users + 1);
  const items: number[] = [];
  const times: number[] = [];
  const seen = new Set<number>();
  let p = 0;
  for (let u = 0; u < log.users; u++) {
    seen.clear();
    for (; p < order.length && log.user[order[p]!] === u; p++) {
      const i = log.item[order[p]!]!;
      if (seen.has(i)) continue;
      seen.add(i);
      items.push(i);
      times.push(log.time[order[p]!]!);
    }
    offsets[u + 1] = items.length;
  }
  return { offsets, items: Uint32Array.from(items), times: Float64Array.from(times) };
}

export interface TwoTowerOptions {
  /** Give the user tower a learned embedding per user id besides their history. Default false. */
  userIds?: boolean;
  /** Size of the embeddings both towers end in. Default 32. */
  dim?: number;
  /** Width of the user tower's hidden layer. Default 64. */
  hidden?: number;
  /** The user's most recent new items the user tower averages. Default 20. */
  history?: number;
  /** τ: scores are cosine / τ. Default 0.1. */
  temperature?: number;
  /** Subtract log q(item) from the in-batch logits (Yi et al. 2019). Default true. */
  correction?: boolean;
  /**
   * Train on each user's most recent new items only, at most this many. Default 20: the recent choices are the ones
   * most like the next, and on the generated log this does better than every pair, at a fraction of the steps.
   */
  maxPairsPerUser?: number;
  batchSize?: number;
  epochs?: number;
  learningRate?: number;
  seed?: number;
  onEpoch?: (epoch: number, loss: number) => void;
}

/** x / |x| along the last axis, row by row. */
function normalize(x: Tensor): Tensor {
  return div(x, sqrt(sum(mul(x, x), { axis: 1, keepdims: true })));
}

class Towers extends Module<NDArray, Tensor> {
  readonly userEmbedding: Parameter | null;
  readonly historyEmbedding: Parameter;
  readonly itemEmbedding: Parameter;
  readonly userMlp: Sequential;

  constructor(
    users: number,
    items: number,
    dim: number,
    hidden: number,
    userIds: boolean,
    random: () => number,
  ) {
    super();
    const small = (n: number) =>
      fromArray(
        Float32Array.from({ length: n * dim }, () => (random() - 0.5) * 0.2),
        [n, dim],
      );
    this.userEmbedding = userIds ? new Parameter(small(users)) : null;
    this.historyEmbedding = new Parameter(small(items));
    this.itemEmbedding = new Parameter(small(items));
    this.userMlp = new Sequential(
      new Linear((userIds ? 2 : 1) * dim, hidden),
      new ReLU(),
      new Linear(hidden, dim),
    );
  }

  /** The item tower (the user tower is `user`). */
  forward(items: NDArray): Tensor {
    return this.item(items);
  }

  /** The user tower: [own embedding, mean of the history's embeddings] → MLP → unit vector. */
  user(users: NDArray, history: NDArray, weights: NDArray): Tensor {
    const past = embeddingBag(this.historyEmbedding, history, weights);
    const input = this.userEmbedding ? concat([take(this.userEmbedding, users), past], 1) : past;
    return normalize(this.userMlp.forward(input));
  }

  /** The item tower: the item's embedding as a unit vector. */
  item(items: NDArray): Tensor {
    return normalize(take(this.itemEmbedding, items));
  }
}

/**
 * A two-tower retrieval model (Covington et al. 2016; Yi et al. 2019): a user tower maps the user's id and their
 * `history` most recent new items to a unit vector, an item tower maps an item to one, and the score is their
 * cosine / τ, so retrieval is a nearest-neighbour search over the item vectors. Trained on every (user, item new to
 * them) pair of the log, each with the items the user took before it as history, by softmax over the batch: the
 * other rows' items are the negatives ("in-batch negatives"), other rows holding the same item are masked out, and
 * since a popular item turns up as a negative more often, log q(item) — its share of the training pairs — is
 * subtracted from its logit (the sampled-softmax correction), so the model is not pushed to demote popular items
 * for being sampled more.
 */
export class TwoTower implements Recommender {
  readonly name: string;
  readonly dim: number;
  /** Mean training loss per epoch. */
  readonly losses: number[] = [];
  /** The item tower's output for every item (items × dim, unit rows). */
  readonly itemVectors: Float32Array;
  private userVectors = new Float32Array(0);
  private known = new Uint8Array(0);
  private readonly towers: Towers;
  private readonly history: number;
  /** Set by serve(), which the constructor ends with. */
  private fallback!: Popularity;
  private readonly scorer: DotScorer;

  constructor(train: InteractionLog, options: TwoTowerOptions = {}) {
    const {
      userIds = false,
      dim = 32,
      hidden = 64,
      history = 20,
      temperature = 0.1,
      correction = true,
      maxPairsPerUser = 20,
      batchSize = 256,
      epochs = 1,
      learningRate = 5e-3,
      seed = 1,
    } = options;
    if (!(maxPairsPerUser >= 1))
      throw new RangeError(`TwoTower: maxPairsPerUser must be ≥ 1, got ${maxPairsPerUser}`);
    for (const [name, v] of Object.entries({ dim, hidden, history, batchSize, epochs }))
      if (!Number.isInteger(v) || v < 1)
        throw new RangeError(`TwoTower: ${name} must be a whole number ≥ 1, got ${v}`);
    if (!(temperature > 0)) throw new RangeError(`TwoTower: temperature must be > 0, got ${temperature}`);
    this.name = correction ? 'two-tower' : 'two-tower (no correction)';
    this.dim = dim;
    this.history = history;
    manualSeed(seed);
    const random = mulberry32(seed);
    this.towers = new Towers(train.users, train.items, dim, hidden, userIds, random);
    // The tables by lazy Adam (a batch touches a few hundred of their rows), the user tower's MLP by Adam.
    const tables = [this.towers.historyEmbedding, this.towers.itemEmbedding];
    if (this.towers.userEmbedding) tables.push(this.towers.userEmbedding);
    const optimizers = [
      new SparseAdam(tables, { lr: learningRate }),
      new Adam(this.towers.userMlp.parameters(), { lr: learningRate }),
    ];

    // The training pairs: each user's new items after their first, with the items before it as history.
    const seq = userSequences(train);
    const pairs: number[] = [];
    for (let u = 0; u < train.users; u++) {
      const from = Math.max(seq.offsets[u]! + 1, seq.offsets[u + 1]! - maxPairsPerUser);
      for (let p = from; p < seq.offsets[u + 1]!; p++) pairs.push(p);
    }
    const userOf = new Uint32Array(seq.items.length);
    for (let u = 0; u < train.users; u++) userOf.fill(u, seq.offsets[u]!, seq.offsets[u + 1]!);
    const frequency = new Float64Array(train.items);
    for (const p of pairs) frequency[seq.items[p]!]!++;
    const logQ = Float32Array.from(frequency, (c) => Math.log(Math.max(c, 1) / pairs.length));

    const diagonal = Array.from({ length: batchSize }, (_, r) => r);
    for (let epoch = 0; epoch < epochs; epoch++) {
      for (let i = pairs.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [pairs[i], pairs[j]] = [pairs[j]!, pairs[i]!];
      }
      let total = 0;
      let steps = 0;
      for (let b = 0; b + batchSize <= pairs.length; b += batchSize) {
        const batch = pairs.slice(b, b + batchSize);
        const users = Float32Array.from(batch, (p) => userOf[p]!);
        const targets = Float32Array.from(batch, (p) => seq.items[p]!);
        const { indices, weights } = this.historyOf(
          seq,
          batch,
          batch.map((p) => seq.offsets[userOf[p]!]!),
        );
        const u = this.towers.user(fromArray(users, [batchSize], 'int32'), indices, weights);
        const v = this.towers.item(fromArray(targets, [batchSize], 'int32'));
        // logits[r][c] = u_r·v_c / τ − log q(item_c); −1e9 where row c's item is row r's own (an accidental hit).
        const bias = new Float32Array(batchSize * batchSize);
        for (let r = 0; r < batchSize; r++)
          for (let c = 0; c < batchSize; c++)
            bias[r * batchSize + c] =
              r !== c && targets[r] === targets[c] ? -1e9 : correction ? -logQ[targets[c]!]! : 0;
        const logits = add(
          matmul(div(u, temperature), transpose(v)),
          new Tensor(fromArray(bias, [batchSize, batchSize])),
        );
        const loss = crossEntropy(logits, diagonal);
        for (const o of optimizers) o.zeroGrad();
        loss.backward();
        for (const o of optimizers) o.step();
        total += loss.item();
        steps++;
      }
      this.losses.push(total / steps);
      options.onEpoch?.(epoch, total / steps);
    }
    this.itemVectors = noGrad(() =>
      Float32Array.from(
        this.towers
          .item(
            fromArray(
              Float32Array.from({ length: train.items }, (_, i) => i),
              [train.items],
              'int32',
            ),
          )
          .value.toTypedArray(),
      ),
    );
    this.scorer = new DotScorer(this.itemVectors, train.items, dim);
    this.serve(train, seq);
  }

  /**
   * The history window of each sequence position in `ends`: up to `history` items before it in its user's sequence
   * (which begins at `starts[r]`), as [rows, history] indices with weights 1/count (0 past a short history).
   */
  private historyOf(
    seq: UserSequences,
    ends: readonly number[],
    starts: readonly number[],
  ): { indices: NDArray; weights: NDArray } {
    const H = this.history;
    const indices = new Float32Array(ends.length * H);
    const weights = new Float32Array(ends.length * H);
    ends.forEach((p, r) => {
      const from = Math.max(starts[r]!, p - H);
      for (let q = from; q < p; q++) {
        indices[r * H + q - from] = seq.items[q]!;
        weights[r * H + q - from] = 1 / (p - from);
      }
    });
    return {
      indices: fromArray(indices, [ends.length, H], 'int32'),
      weights: fromArray(weights, [ends.length, H]),
    };
  }

  /**
   * Serve from the histories in `log` (which may be newer than the training log): every user's vector is recomputed
   * from their latest `history` new items, with no retraining. Users with no history get the popularity fallback.
   * `seq` is the log's user sequences, for a caller that has them already.
   */
  serve(log: InteractionLog, seq = userSequences(log)): this {
    const users = log.users;
    this.userVectors = new Float32Array(users * this.dim);
    this.known = new Uint8Array(users);
    const ends: number[] = [];
    const who: number[] = [];
    for (let u = 0; u < users; u++) {
      if (seq.offsets[u + 1]! > seq.offsets[u]!) {
        ends.push(seq.offsets[u + 1]!);
        who.push(u);
        this.known[u] = 1;
      }
    }
    noGrad(() => {
      for (let b = 0; b < ends.length; b += 1024) {
        const ids = who.slice(b, b + 1024);
        const { indices, weights } = this.historyOf(
          seq,
          ends.slice(b, b + 1024),
          ids.map((u) => seq.offsets[u]!),
        );
        const u = this.towers.user(
          fromArray(Float32Array.from(ids), [ids.length], 'int32'),
          indices,
          weights,
        );
        const values = u.value.toTypedArray();
        ids.forEach((id, r) => {
          this.userVectors.set(values.subarray(r * this.dim, (r + 1) * this.dim), id * this.dim);
        });
      }
    });
    this.fallback = new Popularity(log);
    return this;
  }

  /** The user's vector (unit length), or undefined for a user with no history. */
  userVector(user: number): Float32Array | undefined {
    if (user >= this.known.length || !this.known[user]) return undefined;
    return this.userVectors.subarray(user * this.dim, (user + 1) * this.dim);
  }

  scores(user: number): Float64Array {
    return this.scoresMany([user])[0]!;
  }

  /** The cosine of the user's and every item's vector, as one matrix product for the batch (float32). */
  scoresMany(users: readonly number[]): Float64Array[] {
    const rows = users.filter((u) => this.userVector(u) !== undefined);
    const scored = rows.length > 0 ? this.scorer.score(this.userVectors, rows) : [];
    let next = 0;
    return users.map((u) => (this.userVector(u) ? scored[next++]! : this.fallback.scores()));
  }
}
