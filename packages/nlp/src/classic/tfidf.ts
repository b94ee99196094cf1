/**
 * Documents as rows of a sparse matrix in compressed sparse row form: row r's non-zero columns are
 * `indices[indptr[r] .. indptr[r + 1])`, in increasing order, with their values at the same positions of `data`.
 */
export interface SparseRows {
  readonly rows: number;
  readonly cols: number;
  readonly indptr: Int32Array;
  readonly indices: Int32Array;
  readonly data: Float64Array;
}

/**
 * The weighting of a term t in a document d of a collection of n documents, df(t) of which contain t:
 * - `tf: 'raw'` is the count of t in d; `'sublinear'` is 1 + ln(count), so the tenth repeat adds less than the first.
 * - `idf: 'smooth'` is ln((1 + n) / (1 + df)) + 1, as if one more document held every term once (no division by
 *   zero for a term of the vocabulary that a new collection lacks); `'plain'` is ln(n / df) + 1; `'textbook'` is
 *   ln(n / df) (Manning et al., Introduction to Information Retrieval, §6.2.1), which gives a term in every document
 *   weight 0; `'none'` leaves the term frequency unweighted. The first two and their + 1 are scikit-learn's
 *   `TfidfTransformer` (smooth_idf true and false).
 * - `norm` scales each document's vector to unit Euclidean (`'l2'`) or absolute (`'l1'`) length, or leaves it.
 */
export interface TfidfOptions {
  tf?: 'raw' | 'sublinear';
  idf?: 'smooth' | 'plain' | 'textbook' | 'none';
  norm?: 'l2' | 'l1' | null;
  /** Terms in fewer than this many training documents are left out of the vocabulary. */
  minDf?: number;
}

export class TfidfVectorizer {
  private readonly options: Required<TfidfOptions>;
  private fitted:
    | { vocabulary: string[]; columns: Map<string, number>; idf: Float64Array | null }
    | undefined;

  constructor(options: TfidfOptions = {}) {
    const { tf = 'raw', idf = 'smooth', norm = 'l2', minDf = 1 } = options;
    if (!Number.isInteger(minDf) || minDf < 1)
      throw new RangeError(`TfidfVectorizer: minDf must be a whole number ≥ 1, got ${minDf}`);
    this.options = { tf, idf, norm, minDf };
  }

  /** Learns the vocabulary (sorted, as the columns are) and each term's inverse document frequency. */
  fit(documents: readonly (readonly string[])[]): this {
    if (documents.length === 0) throw new Error('TfidfVectorizer.fit: no documents');
    const df = new Map<string, number>();
    for (const document of documents)
      for (const term of new Set(document)) df.set(term, (df.get(term) ?? 0) + 1);
    const vocabulary = [...df.keys()].filter((t) => df.get(t)! >= this.options.minDf).sort(byCodeUnits);
    if (vocabulary.length === 0)
      throw new Error(
        `TfidfVectorizer.fit: no term occurs in ${this.options.minDf} or more documents (the vocabulary would be empty)`,
      );
    const n = documents.length;
    const weight = {
      smooth: (d: number) => Math.log((1 + n) / (1 + d)) + 1,
      plain: (d: number) => Math.log(n / d) + 1,
      textbook: (d: number) => Math.log(n / d),
      none: null,
    }[this.options.idf];
    this.fitted = {
      vocabulary,
      columns: new Map(vocabulary.map((t, i) => [t, i])),
      idf: weight && Float64Array.from(vocabulary, (t) => weight(df.get(t)!)),
    };
    return this;
  }

  get vocabulary(): readonly string[] {
    return this.model('vocabulary').vocabulary;
  }

  /** Each term's idf in vocabulary order; null for `idf: 'none'`. */
  get idf(): Float64Array | null {
    return this.model('idf').idf;
  }

  /** The documents' weighted, normalized term vectors; terms outside the vocabulary are ignored. */
  transform(documents: readonly (readonly string[])[]): SparseRows {
    const { columns, idf } = this.model('transform');
    const indptr = new Int32Array(documents.length + 1);
    const indices: number[] = [];
    const data: number[] = [];
    documents.forEach((document, r) => {
      const counts = new Map<number, number>();
      for (const term of document) {
        const c = columns.get(term);
        if (c !== undefined) counts.set(c, (counts.get(c) ?? 0) + 1);
      }
      const cols = [...counts.keys()].sort((a, b) => a - b);
      const values = cols.map((c) => {
        const count = counts.get(c)!;
        const tf = this.options.tf === 'sublinear' ? 1 + Math.log(count) : count;
        return idf ? tf * idf[c]! : tf;
      });
      const length =
        this.options.norm === 'l2'
          ? Math.sqrt(values.reduce((s, v) => s + v * v, 0))
          : this.options.norm === 'l1'
            ? values.reduce((s, v) => s + Math.abs(v), 0)
            : 1;
      cols.forEach((c, k) => {
        indices.push(c);
        data.push(length > 0 ? values[k]! / length : values[k]!);
      });
      indptr[r + 1] = indices.length;
    });
    return {
      rows: documents.length,
      cols: columns.size,
      indptr,
      indices: Int32Array.from(indices),
      data: Float64Array.from(data),
    };
  }

  fitTransform(documents: readonly (readonly string[])[]): SparseRows {
    return this.fit(documents).transform(documents);
  }

  private model(where: string) {
    if (!this.fitted) throw new Error(`TfidfVectorizer.${where}: call fit(documents) first`);
    return this.fitted;
  }
}

/** Ordering by UTF-16 code units, written out so that it does not depend on a locale. */
const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
