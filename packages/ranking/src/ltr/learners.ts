import { Adam, Linear, manualSeed, ReLU, Sequential, Tensor } from '@mle/autograd';
import { type BoostingParams, GradientBoostingRegressor, Matrix, NewtonBoosting } from '@mle/classic-ml';
import { mulberry32 } from '@mle/datasets';
import { fromArray } from '@mle/tensor';
import { averagePrecision, meanOverQueries, ndcgAtK, precisionAtK, reciprocalRank } from '../metrics.js';
import type { RankingData } from './dataset.js';
import { type PairWeighting, pairwiseLambdas } from './lambdas.js';

/** The documents' features as a classic-ml matrix (no copy). */
function features(data: RankingData): Matrix {
  return new Matrix(data.relevance.length, data.features, data.X);
}

/** A trained ranker: scores documents (higher ranks first). */
export interface Ranker {
  readonly name: string;
  score(data: RankingData): Float64Array;
}

const TREES: Partial<BoostingParams> = {
  nEstimators: 100,
  maxDepth: 4,
  learningRate: 0.1,
  minSamplesLeaf: 10,
};

/** Pointwise: gradient-boosted regression trees fitted to the grades, ranked by the predicted grade. */
export function trainPointwise(train: RankingData, params: Partial<BoostingParams> = {}): Ranker {
  const model = new GradientBoostingRegressor({ ...TREES, ...params }).fit(features(train), train.relevance);
  return { name: 'pointwise (GBRT on grades)', score: (data) => model.predict(features(data)) };
}

/**
 * LambdaMART: LambdaRank's gradients as the objective of gradient-boosted trees, each leaf a Newton step
 * Σλ / Σ(σ²ρ(1 − ρ)|ΔNDCG|) (Burges 2010), on @mle/classic-ml's NewtonBoosting with the pointwise model's trees.
 */
export function trainLambdaMart(
  train: RankingData,
  params: Partial<BoostingParams> = {},
  truncation?: number,
): Ranker & { model: NewtonBoosting } {
  // The loss recorded after a round and the next round's derivatives are taken at the same scores: the λs are
  // computed once for both, and reused only if the scores are unchanged.
  let cached: { at: Float64Array; lambdas: ReturnType<typeof pairwiseLambdas> } | undefined;
  const lambdasAt = (F: Float64Array) => {
    if (!cached || cached.at.length !== F.length || cached.at.some((v, i) => v !== F[i]))
      cached = { at: F.slice(), lambdas: pairwiseLambdas(train, F, 'lambdarank', { truncation }) };
    return cached.lambdas;
  };
  const model = new NewtonBoosting({ ...TREES, ...params }).fit(features(train), {
    derivatives(F, gradient, hessian) {
      const l = lambdasAt(F);
      gradient.set(l.gradient);
      hessian.set(l.hessian);
    },
    loss: (F) => lambdasAt(F).cost / (train.offsets.length - 1),
  });
  return { name: 'LambdaMART', model, score: (data) => model.predict(features(data)) };
}

export interface NeuralRankerOptions {
  weighting: PairWeighting;
  hidden?: number;
  epochs?: number;
  learningRate?: number;
  /** Queries per optimiser step. */
  queriesPerStep?: number;
  seed?: number;
  onEpoch?: (epoch: number, cost: number) => void;
}

/** The rows of some queries, gathered into one dataset (a batch). */
function gather(data: RankingData, queries: readonly number[]): RankingData {
  const d = data.features;
  const offsets = new Uint32Array(queries.length + 1);
  queries.forEach((q, b) => {
    offsets[b + 1] = offsets[b]! + data.offsets[q + 1]! - data.offsets[q]!;
  });
  const X = new Float64Array(offsets[queries.length]! * d);
  const relevance = new Uint8Array(offsets[queries.length]!);
  queries.forEach((q, b) => {
    const [from, to] = [data.offsets[q]!, data.offsets[q + 1]!];
    X.set(data.X.subarray(from * d, to * d), offsets[b]! * d);
    relevance.set(data.relevance.subarray(from, to), offsets[b]!);
  });
  return { features: d, X, relevance, offsets };
}

/**
 * RankNet or LambdaRank: a one-hidden-layer network s(x) trained with @mle/autograd. Each step scores the documents
 * of a few queries, computes the pairwise λs outside the graph (Burges' factorisation: the cost's gradient reaches
 * the weights only through the scores, so it is injected as ∂C/∂s at the network's output) and takes an Adam step.
 */
export function trainNeuralRanker(train: RankingData, options: NeuralRankerOptions): Ranker {
  const { weighting, hidden = 32, epochs = 30, learningRate = 3e-3, queriesPerStep = 8, seed = 0 } = options;
  manualSeed(seed);
  const model = new Sequential(new Linear(train.features, hidden), new ReLU(), new Linear(hidden, 1));
  const optimizer = new Adam(model.parameters(), { lr: learningRate });
  const random = mulberry32(seed + 1);
  const queries = train.offsets.length - 1;
  const forward = (batch: RankingData) =>
    model.forward(new Tensor(fromArray(batch.X, [batch.relevance.length, batch.features], 'float32')));
  for (let epoch = 0; epoch < epochs; epoch++) {
    const order = Array.from({ length: queries }, (_, q) => q);
    for (let i = queries - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    let cost = 0;
    for (let b = 0; b < queries; b += queriesPerStep) {
      const batch = gather(train, order.slice(b, b + queriesPerStep));
      const out = forward(batch);
      const lambdas = pairwiseLambdas(batch, out.value.toTypedArray(), weighting);
      const count = batch.offsets.length - 1;
      cost += lambdas.cost;
      optimizer.zeroGrad();
      out.backward(
        fromArray(
          lambdas.gradient.map((g) => g / count),
          [batch.relevance.length, 1],
          'float32',
        ),
      );
      optimizer.step();
    }
    options.onEpoch?.(epoch, cost / queries);
  }
  model.eval();
  return {
    name: weighting === 'ranknet' ? 'RankNet' : 'LambdaRank',
    score: (data) => Float64Array.from(forward(data).value.toTypedArray()),
  };
}

export interface RankingScores {
  ndcgAt10: number;
  map: number;
  mrr: number;
  precisionAt10: number;
}

/** The four metrics averaged over a dataset's queries (every query counted; see metrics.ts for empty queries). */
export function evaluateRanking(data: RankingData, scores: ArrayLike<number>): RankingScores {
  const queries = Array.from({ length: data.offsets.length - 1 }, (_, q) => {
    const [from, to] = [data.offsets[q]!, data.offsets[q + 1]!];
    return {
      relevance: data.relevance.subarray(from, to),
      scores: Array.prototype.slice.call(scores, from, to),
    };
  });
  return {
    ndcgAt10: meanOverQueries((r, s) => ndcgAtK(r, s, 10), queries),
    map: meanOverQueries(averagePrecision, queries),
    mrr: meanOverQueries(reciprocalRank, queries),
    precisionAt10: meanOverQueries((r, s) => precisionAtK(r, s, 10), queries),
  };
}
