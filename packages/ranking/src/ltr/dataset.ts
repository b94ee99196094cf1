import { gaussian, mulberry32 } from '@mle/datasets';

/** Documents grouped by query: row i's features are X[i·features … (i + 1)·features), its grade relevance[i]. */
export interface RankingData {
  features: number;
  X: Float64Array;
  relevance: Uint8Array;
  /** queries + 1 offsets: the documents of query q are rows [offsets[q], offsets[q + 1]). */
  offsets: Uint32Array;
}

export interface LetorOptions {
  queries: number;
  /** Documents per query, drawn uniformly from [min, max]. Default [20, 60]. */
  documents?: [number, number];
  /** Feature columns (≥ 6). Default 10. */
  features?: number;
  /** Standard deviation of the noise on the hidden relevance score. Default 1. */
  noise?: number;
  seed?: number;
}

/** The grade thresholds on the hidden score: about 45% grade 0, 28% 1, 16% 2, 8% 3, 3% 4. */
const THRESHOLDS = [0.25, 1.6, 2.7, 3.9];

/**
 * A seeded graded-relevance dataset in the shape of the LETOR benchmarks: queries × documents × features, relevance
 * 0–4. Each document's features are standard normal; its hidden score is a non-linear function of them (linear
 * terms, an interaction, a threshold and a bump) plus noise, **plus an offset per query** that no feature shows —
 * as a hard query has fewer relevant documents whatever they contain — and features 0–2 are observed with a scale
 * and shift per query (as a text-match score like BM25 grows with the query's length; the LETOR sets publish
 * query-normalised copies for this reason). The grades come from fixed thresholds on the score, so what the features
 * carry is mostly the order within a query: what a ranker needs, and what a pointwise regression of the grades must
 * untangle from the per-query shifts.
 */
export function letorDataset(options: LetorOptions): RankingData {
  const { queries, documents = [20, 60], features = 10, noise = 1, seed = 1 } = options;
  if (!Number.isSafeInteger(queries) || queries < 1)
    throw new RangeError(`letorDataset: queries must be a whole number ≥ 1, got ${queries}`);
  if (!Number.isInteger(features) || features < 6)
    throw new RangeError(`letorDataset: features must be a whole number ≥ 6, got ${features}`);
  const [lo, hi] = documents;
  if (!Number.isInteger(lo) || !Number.isInteger(hi) || lo < 1 || hi < lo)
    throw new RangeError(`letorDataset: documents must be whole numbers 1 ≤ min ≤ max, got [${lo}, ${hi}]`);
  const random = mulberry32(seed);
  const normal = gaussian(random);
  const offsets = new Uint32Array(queries + 1);
  for (let q = 0; q < queries; q++) offsets[q + 1] = offsets[q]! + lo + Math.floor(random() * (hi - lo + 1));
  const rows = offsets[queries]!;
  const X = new Float64Array(rows * features);
  const relevance = new Uint8Array(rows);
  for (let q = 0; q < queries; q++) {
    const offset = 0.8 * normal();
    // How this query shows features 0–2: scaled and shifted, as a text-match score grows with the query's length.
    const scale = Math.exp(0.5 * normal());
    const shift = 1.5 * normal();
    for (let i = offsets[q]!; i < offsets[q + 1]!; i++) {
      const x = new Float64Array(features);
      for (let f = 0; f < features; f++) x[f] = normal();
      const score =
        0.9 * x[0]! +
        0.6 * x[1]! -
        0.4 * x[2]! +
        0.5 * x[0]! * x[3]! +
        (x[4]! > 0.5 ? 0.7 : 0) +
        0.6 * Math.exp(-2 * x[5]! ** 2) +
        offset +
        noise * normal();
      let grade = 0;
      while (grade < THRESHOLDS.length && score > THRESHOLDS[grade]!) grade++;
      relevance[i] = grade;
      for (let f = 0; f < features; f++) X[i * features + f] = f < 3 ? scale * x[f]! + shift : x[f]!;
    }
  }
  return { features, X, relevance, offsets };
}

/** The queries [from, to) of a dataset as a dataset of their own. */
export function sliceQueries(data: RankingData, from: number, to: number): RankingData {
  const start = data.offsets[from]!;
  const end = data.offsets[to]!;
  return {
    features: data.features,
    X: data.X.slice(start * data.features, end * data.features),
    relevance: data.relevance.slice(start, end),
    offsets: Uint32Array.from(data.offsets.subarray(from, to + 1), (o) => o - start),
  };
}
