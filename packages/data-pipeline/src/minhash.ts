/**
 * Near-duplicate detection as LLM data cleaning does it: each document becomes a set of shingles, each set a MinHash
 * signature (the minimum of k independent hashes over the set: two signatures agree in a slot with probability equal
 * to the sets' Jaccard similarity), and locality-sensitive hashing bands the signatures so that only documents that
 * agree on a whole band are compared.
 */

/** MurmurHash3's 32-bit finaliser: a bijection on 32-bit integers that mixes every input bit into every output bit. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** FNV-1a over a string's UTF-16 code units, finished by fmix32. */
function hashString(text: string, from: number, to: number): number {
  let h = 0x811c9dc5;
  for (let i = from; i < to; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return fmix32(h >>> 0);
}

/** Lower case, punctuation dropped, whitespace collapsed: edits that should not make two texts differ. */
export function normalizeText(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s]/gu, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * A document's shingles, each hashed to 32 bits, sorted and distinct: the character k-grams of its normalised text
 * (k = 5 by default; a text shorter than k is one shingle).
 */
export function shingles(text: string, k = 5): Uint32Array {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`shingles: k must be a whole number ≥ 1, got ${k}`);
  const norm = normalizeText(text);
  const n = Math.max(1, norm.length - k + 1);
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) out[i] = hashString(norm, i, Math.min(norm.length, i + k));
  out.sort();
  let distinct = 0;
  for (let i = 0; i < n; i++) if (i === 0 || out[i] !== out[i - 1]) out[distinct++] = out[i]!;
  return out.subarray(0, distinct);
}

/** Exact Jaccard similarity |A ∩ B| / |A ∪ B| of two sorted, distinct shingle sets (a merge). */
export function jaccard(a: Uint32Array, b: Uint32Array): number {
  let i = 0;
  let j = 0;
  let both = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      both++;
      i++;
      j++;
    } else if (a[i]! < b[j]!) i++;
    else j++;
  }
  const union = a.length + b.length - both;
  return union === 0 ? 1 : both / union;
}

/** k hash functions h_i(x) = fmix32(x ⊕ s_i) with seeds s_i drawn from `seed`: one signature slot each. */
export function hashSeeds(k: number, seed = 1): Uint32Array {
  const seeds = new Uint32Array(k);
  for (let i = 0; i < k; i++) seeds[i] = fmix32((seed * 0x9e3779b9 + (i + 1) * 0x7f4a7c15) >>> 0);
  return seeds;
}

/** The MinHash signature of a shingle set: slot i is the smallest h_i over the set. */
export function signature(set: Uint32Array, seeds: Uint32Array): Uint32Array {
  const sig = new Uint32Array(seeds.length).fill(0xffffffff);
  for (let i = 0; i < seeds.length; i++) {
    const s = seeds[i]!;
    let min = 0xffffffff;
    for (let j = 0; j < set.length; j++) {
      const h = fmix32(set[j]! ^ s);
      if (h < min) min = h;
    }
    sig[i] = min;
  }
  return sig;
}

/** The signatures' estimate of Jaccard similarity: the fraction of slots where they agree. */
export function estimatedJaccard(a: Uint32Array, b: Uint32Array): number {
  let same = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) same++;
  return same / a.length;
}

/** The chance two documents of similarity s share at least one of b bands of r rows: 1 − (1 − s^r)^b. */
export function candidateProbability(s: number, bands: number, rows: number): number {
  return 1 - (1 - s ** rows) ** bands;
}

/**
 * Bands × rows (b·r ≤ k) for a similarity threshold t, as the usual choice: minimise the weighted area of false
 * positives (∫₀ᵗ P(s) ds) and false negatives (∫ₜ¹ 1 − P(s) ds) under the S-curve P, integrated numerically.
 */
export function chooseBands(
  k: number,
  threshold: number,
  weights: { falsePositive: number; falseNegative: number } = { falsePositive: 0.5, falseNegative: 0.5 },
): { bands: number; rows: number } {
  if (!(threshold > 0 && threshold < 1))
    throw new RangeError(`chooseBands: threshold must be in (0, 1), got ${threshold}`);
  const area = (from: number, to: number, f: (s: number) => number) => {
    const steps = 200;
    const h = (to - from) / steps;
    let total = 0;
    for (let i = 0; i < steps; i++) total += f(from + (i + 0.5) * h) * h;
    return total;
  };
  let best = { bands: 1, rows: k, error: Number.POSITIVE_INFINITY };
  for (let bands = 1; bands <= k; bands++) {
    for (let rows = 1; bands * rows <= k; rows++) {
      const fp = area(0, threshold, (s) => candidateProbability(s, bands, rows));
      const fn = area(threshold, 1, (s) => 1 - candidateProbability(s, bands, rows));
      const error = weights.falsePositive * fp + weights.falseNegative * fn;
      if (error < best.error) best = { bands, rows, error };
    }
  }
  return { bands: best.bands, rows: best.rows };
}

export interface NearDuplicateOptions {
  /** Jaccard similarity at and above which two documents are near-duplicates. Default 0.5. */
  threshold?: number;
  /** Signature length (hash functions). Default 128. */
  hashes?: number;
  /** Shingle length in characters. Default 5. */
  shingleSize?: number;
  seed?: number;
  /** Keep a candidate pair only if its signatures' estimate reaches the threshold (default true). */
  verify?: boolean;
}

export interface NearDuplicates {
  bands: number;
  rows: number;
  /** Pairs [i, j] with i < j, sorted, that LSH proposed and (if verified) the signatures confirm. */
  pairs: [number, number][];
  /** Pairs LSH proposed before verification. */
  candidates: number;
  /** For each document, the first document of its group (connected by pairs): keep i where keep[i] === i. */
  representative: Int32Array;
}

/**
 * Finds near-duplicate documents: shingles, MinHash signatures, LSH bands chosen for the threshold; documents that
 * agree on every row of some band become candidates, verified by their estimated similarity. Groups are the
 * connected components of the pairs (union–find), represented by their first document, as a dedup step keeps it.
 */
export function findNearDuplicates(
  texts: readonly string[],
  options: NearDuplicateOptions = {},
): NearDuplicates {
  const { threshold = 0.5, hashes = 128, shingleSize = 5, seed = 1, verify = true } = options;
  if (!Number.isInteger(hashes) || hashes < 1)
    throw new RangeError(`findNearDuplicates: hashes must be a whole number ≥ 1, got ${hashes}`);
  const { bands, rows } = chooseBands(hashes, threshold);
  const seeds = hashSeeds(hashes, seed);
  const signatures = texts.map((t) => signature(shingles(t, shingleSize), seeds));
  const seen = new Set<number>();
  const pairs: [number, number][] = [];
  let candidates = 0;
  for (let band = 0; band < bands; band++) {
    const buckets = new Map<string, number[]>();
    for (let d = 0; d < signatures.length; d++) {
      const key = signatures[d]!.subarray(band * rows, (band + 1) * rows).join(',');
      const bucket = buckets.get(key);
      if (bucket) bucket.push(d);
      else buckets.set(key, [d]);
    }
    for (const bucket of buckets.values()) {
      for (let x = 0; x < bucket.length; x++) {
        for (let y = x + 1; y < bucket.length; y++) {
          const i = bucket[x]!;
          const j = bucket[y]!;
          const id = i * texts.length + j;
          if (seen.has(id)) continue;
          seen.add(id);
          candidates++;
          if (!verify || estimatedJaccard(signatures[i]!, signatures[j]!) >= threshold) pairs.push([i, j]);
        }
      }
    }
  }
  pairs.sort((p, q) => p[0] - q[0] || p[1] - q[1]);
  const parent = Int32Array.from(texts, (_, i) => i);
  const root = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]!]!;
      i = parent[i]!;
    }
    return i;
  };
  for (const [i, j] of pairs) {
    const [a, b] = [root(i), root(j)];
    if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
  }
  const representative = Int32Array.from(texts, (_, i) => root(i));
  return { bands, rows, pairs, candidates, representative };
}
