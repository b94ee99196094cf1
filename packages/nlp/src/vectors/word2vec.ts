import { mulberry32 } from '@mle/datasets';

/**
 * word2vec's skip-gram with negative sampling (Mikolov et al., "Distributed Representations of Words and Phrases
 * and their Compositionality", 2013), as the reference word2vec.c trains it: each word predicts the words within a
 * window around it (the window shrunk at random, so near words count more); each (word, context) pair is a logistic
 * regression of "seen together" against `negative` words drawn from the unigram distribution raised to 3/4;
 * frequent words are dropped at random (subsampling); the learning rate falls linearly to almost zero.
 */
export interface Word2VecOptions {
  dim?: number;
  /** The largest window; each centre word draws its own from 1…window. */
  window?: number;
  /** Noise words per (word, context) pair. */
  negative?: number;
  /** Words seen fewer times are left out. */
  minCount?: number;
  /** Subsampling threshold t: a word of frequency f is kept with probability (√(f/t) + 1)·t/f (word2vec.c's form). */
  sample?: number;
  epochs?: number;
  /** Starting learning rate, decayed linearly to lr·10⁻⁴ over the run. */
  lr?: number;
  seed?: number;
}

/** word2vec.c's probability of keeping a word of count `count` among `total` words, at threshold `sample`. */
export function keepProbability(count: number, total: number, sample: number): number {
  if (sample <= 0) return 1;
  const f = count / total;
  return Math.min(1, (Math.sqrt(f / sample) + 1) * (sample / f));
}

/**
 * The negative-sampling table: word ids laid out in proportion to count^0.75, so a uniform index into it draws a
 * word from the smoothed unigram distribution (word2vec.c's table, sized here to `size`).
 */
export function unigramTable(counts: readonly number[], size = 1_000_000, power = 0.75): Int32Array {
  const weights = counts.map((c) => c ** power);
  const total = weights.reduce((a, b) => a + b, 0);
  const table = new Int32Array(size);
  let word = 0;
  let cumulative = weights[0]! / total;
  for (let i = 0; i < size; i++) {
    table[i] = word;
    if ((i + 1) / size > cumulative && word < counts.length - 1) {
      word++;
      cumulative += weights[word]! / total;
    }
  }
  return table;
}

const sigmoid = (x: number): number => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));

/**
 * One skip-gram negative-sampling update of the input vector of word `w` (row `inRow` of `input`) against the
 * output vectors of `targets` (the context word, then the noise words; `labels` 1 then 0). The loss is
 * −Σ log σ(±u·v): its gradient with respect to an output vector u is (σ(u·v) − label)·v and with respect to v is
 * Σ (σ(u·v) − label)·u. Output vectors move at once; v moves after, by the sum (as word2vec.c). Returns the loss.
 */
export function sgnsUpdate(
  input: Float32Array,
  output: Float32Array,
  dim: number,
  inRow: number,
  targets: readonly number[],
  labels: readonly number[],
  lr: number,
  scratch: Float32Array,
): number {
  const v = inRow * dim;
  scratch.fill(0);
  let loss = 0;
  for (let k = 0; k < targets.length; k++) {
    const u = targets[k]! * dim;
    let dot = 0;
    for (let j = 0; j < dim; j++) dot += input[v + j]! * output[u + j]!;
    const p = sigmoid(dot);
    loss -= labels[k] === 1 ? Math.log(Math.max(p, 1e-12)) : Math.log(Math.max(1 - p, 1e-12));
    const g = lr * (labels[k]! - p);
    for (let j = 0; j < dim; j++) {
      scratch[j]! += g * output[u + j]!;
      output[u + j]! += g * input[v + j]!;
    }
  }
  for (let j = 0; j < dim; j++) input[v + j]! += scratch[j]!;
  return loss;
}

export class WordVectors {
  private readonly index: Map<string, number>;
  /** Each row scaled to unit length, for cosine similarity. */
  private readonly unit: Float32Array;

  constructor(
    readonly words: readonly string[],
    readonly vectors: Float32Array,
    readonly dim: number,
  ) {
    this.index = new Map(words.map((w, i) => [w, i]));
    this.unit = new Float32Array(vectors.length);
    for (let i = 0; i < words.length; i++) {
      let norm = 0;
      for (let j = 0; j < dim; j++) norm += vectors[i * dim + j]! ** 2;
      norm = Math.sqrt(norm) || 1;
      for (let j = 0; j < dim; j++) this.unit[i * dim + j] = vectors[i * dim + j]! / norm;
    }
  }

  has(word: string): boolean {
    return this.index.has(word);
  }

  vector(word: string): Float32Array {
    const i = this.id(word);
    return this.vectors.slice(i * this.dim, (i + 1) * this.dim);
  }

  similarity(a: string, b: string): number {
    const [i, j] = [this.id(a), this.id(b)];
    let dot = 0;
    for (let k = 0; k < this.dim; k++) dot += this.unit[i * this.dim + k]! * this.unit[j * this.dim + k]!;
    return dot;
  }

  /** The `k` words nearest `word` by cosine similarity, the word itself excluded. */
  mostSimilar(word: string, k = 10): { word: string; similarity: number }[] {
    return this.nearest(this.unit.slice(this.id(word) * this.dim, (this.id(word) + 1) * this.dim), k, [word]);
  }

  /**
   * "a is to b as c is to ?": the words nearest b − a + c (each of the three as a unit vector, as word2vec.c's
   * compute-accuracy does), the three excluded.
   */
  analogy(a: string, b: string, c: string, k = 5): { word: string; similarity: number }[] {
    const [ia, ib, ic] = [this.id(a), this.id(b), this.id(c)];
    const query = new Float32Array(this.dim);
    for (let j = 0; j < this.dim; j++)
      query[j] =
        this.unit[ib * this.dim + j]! - this.unit[ia * this.dim + j]! + this.unit[ic * this.dim + j]!;
    return this.nearest(query, k, [a, b, c]);
  }

  private nearest(query: Float32Array, k: number, exclude: readonly string[]) {
    let norm = 0;
    for (const q of query) norm += q * q;
    norm = Math.sqrt(norm) || 1;
    const skip = new Set(exclude.map((w) => this.id(w)));
    const scored: { word: string; similarity: number }[] = [];
    for (let i = 0; i < this.words.length; i++) {
      if (skip.has(i)) continue;
      let dot = 0;
      for (let j = 0; j < this.dim; j++) dot += this.unit[i * this.dim + j]! * query[j]!;
      scored.push({ word: this.words[i]!, similarity: dot / norm });
    }
    return scored.sort((x, y) => y.similarity - x.similarity).slice(0, k);
  }

  private id(word: string): number {
    const i = this.index.get(word);
    if (i === undefined)
      throw new RangeError(
        `WordVectors: "${word}" is not in the vocabulary of ${this.words.length} words (too rare, or never seen)`,
      );
    return i;
  }
}

export interface Word2VecResult {
  vectors: WordVectors;
  /** Mean loss per (word, context) pair in each epoch. */
  epochLoss: number[];
  /** Words kept after subsampling, summed over epochs; pairs trained. */
  pairs: number;
}

/** Trains skip-gram with negative sampling on sentences of words; the input vectors are the word vectors. */
export function trainWord2Vec(
  sentences: readonly (readonly string[])[],
  options: Word2VecOptions = {},
): Word2VecResult {
  const {
    dim = 100,
    window = 5,
    negative = 5,
    minCount = 5,
    sample = 1e-3,
    epochs = 5,
    lr = 0.025,
    seed = 1,
  } = options;
  for (const [name, value] of Object.entries({ dim, window, negative, minCount, epochs }))
    if (!Number.isInteger(value) || value < 1)
      throw new RangeError(`trainWord2Vec: ${name} must be a whole number ≥ 1, got ${value}`);
  const counts = new Map<string, number>();
  for (const sentence of sentences) for (const w of sentence) counts.set(w, (counts.get(w) ?? 0) + 1);
  // By count, most frequent first (ties by code units), as word2vec.c sorts its vocabulary.
  const words = [...counts.keys()]
    .filter((w) => counts.get(w)! >= minCount)
    .sort((a, b) => counts.get(b)! - counts.get(a)! || (a < b ? -1 : a > b ? 1 : 0));
  if (words.length < 2)
    throw new RangeError(
      `trainWord2Vec: ${words.length} words occur ${minCount} or more times; need at least 2 (lower minCount or give more text)`,
    );
  const ids = new Map(words.map((w, i) => [w, i]));
  const wordCounts = words.map((w) => counts.get(w)!);
  const total = wordCounts.reduce((a, b) => a + b, 0);
  const keep = wordCounts.map((c) => keepProbability(c, total, sample));
  const table = unigramTable(wordCounts);
  const random = mulberry32(seed);
  const V = words.length;
  const input = new Float32Array(V * dim);
  for (let i = 0; i < input.length; i++) input[i] = (random() - 0.5) / dim;
  const output = new Float32Array(V * dim);
  const scratch = new Float32Array(dim);
  const corpus = sentences.map((s) => s.flatMap((w) => (ids.has(w) ? [ids.get(w)!] : [])));
  const plannedWords = epochs * total;
  let processed = 0;
  let pairs = 0;
  const epochLoss: number[] = [];
  const targets: number[] = [];
  const labels = [1, ...new Array<number>(negative).fill(0)];
  for (let epoch = 0; epoch < epochs; epoch++) {
    let loss = 0;
    let epochPairs = 0;
    for (const sentence of corpus) {
      const kept = sentence.filter((w) => random() < keep[w]!);
      processed += sentence.length;
      const rate = Math.max(lr * (1 - processed / (plannedWords + 1)), lr * 1e-4);
      for (let i = 0; i < kept.length; i++) {
        const span = 1 + Math.floor(random() * window);
        for (let j = Math.max(0, i - span); j <= Math.min(kept.length - 1, i + span); j++) {
          if (j === i) continue;
          // word2vec.c updates the context word's input vector against the centre word's output vector.
          // A noise draw that is the centre word itself is skipped, as word2vec.c does.
          targets.length = 1;
          targets[0] = kept[i]!;
          for (let n = 0; n < negative; n++) {
            const noise = table[Math.floor(random() * table.length)]!;
            if (noise !== kept[i]) targets.push(noise);
          }
          loss += sgnsUpdate(input, output, dim, kept[j]!, targets, labels, rate, scratch);
          epochPairs++;
        }
      }
    }
    pairs += epochPairs;
    epochLoss.push(loss / Math.max(1, epochPairs));
  }
  return { vectors: new WordVectors(words, input, dim), epochLoss, pairs };
}

/**
 * The first two principal components of the given rows (each centred on their mean), by power iteration with
 * deflation on the covariance matrix: the coordinates of each row in that plane, and the share of variance each
 * component explains.
 */
export function pca2(rows: readonly Float32Array[]): {
  points: [number, number][];
  explained: [number, number];
} {
  if (rows.length < 3) throw new RangeError(`pca2: need at least 3 rows, got ${rows.length}`);
  const d = rows[0]!.length;
  const mean = new Float64Array(d);
  for (const r of rows) for (let j = 0; j < d; j++) mean[j]! += r[j]! / rows.length;
  const centred = rows.map((r) => Float64Array.from(r, (v, j) => v - mean[j]!));
  const cov = new Float64Array(d * d);
  for (const r of centred)
    for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) cov[a * d + b]! += r[a]! * r[b]!;
  let trace = 0;
  for (let a = 0; a < d; a++) trace += cov[a * d + a]!;
  const components: Float64Array[] = [];
  const values: number[] = [];
  const random = mulberry32(7);
  for (let c = 0; c < 2; c++) {
    let v = Float64Array.from({ length: d }, () => random() - 0.5);
    let lambda = 0;
    for (let it = 0; it < 1000; it++) {
      const next = new Float64Array(d);
      for (let a = 0; a < d; a++) {
        let s = 0;
        for (let b = 0; b < d; b++) s += cov[a * d + b]! * v[b]!;
        next[a] = s;
      }
      const norm = Math.hypot(...next);
      if (norm === 0) break;
      for (let a = 0; a < d; a++) next[a]! /= norm;
      const change = next.reduce((s, x, a) => s + Math.abs(x - v[a]!), 0);
      v = next;
      lambda = norm;
      if (change < 1e-12) break;
    }
    components.push(v);
    values.push(lambda);
    // Deflate: remove this component's variance so the next iteration finds the one orthogonal to it.
    for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) cov[a * d + b]! -= lambda * v[a]! * v[b]!;
  }
  const project = (r: Float64Array, k: number) => r.reduce((s, x, j) => s + x * components[k]![j]!, 0);
  return {
    points: centred.map((r) => [project(r, 0), project(r, 1)]),
    explained: [values[0]! / trace, values[1]! / trace],
  };
}
