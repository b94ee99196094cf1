import { utf8ByteString } from './bytes.js';
import { GPT2_PATTERN, Tokenizer } from './tokenizer.js';

export interface TrainOptions {
  /** Final number of ranks: 256 single bytes plus vocabSize − 256 merges. */
  vocabSize: number;
  /** Pre-split pattern (GPT-2's by default); no merge crosses a piece. */
  pattern?: string;
  /** Special tokens, numbered after the ranks in this order. */
  specialTokens?: readonly string[];
  name?: string;
}

/** A training run: the tokenizer, and its merges in order (pair of ids → new id). */
export interface Trained {
  tokenizer: Tokenizer;
  merges: { pair: [number, number]; id: number; count: number }[];
}

/** Pairs of ids as one number: ids stay below 2^21, so a·2^21 + b is exact and orders pairs by (a, b). */
const SHIFT = 2 ** 21;
const pairKey = (a: number, b: number) => a * SHIFT + b;

interface Word {
  ids: number[];
  count: number;
}

/**
 * Byte-level BPE training (Sennrich et al., 2016, on bytes as GPT-2): pre-split the text, then repeatedly merge
 * the most frequent adjacent pair of ids into a new id. Pair counts are kept up to date incrementally — a merge
 * re-counts only the words that contain the pair (indexed by pair) — and the most frequent pair comes from a
 * max-heap with lazy deletion, so a merge costs what it touches, not a pass over the corpus. Ties go to the
 * smallest pair (a, then b), the same rule `trainBpeNaive` uses, so both produce the same merges.
 */
export function trainBpe(text: string, options: TrainOptions): Trained {
  const words = prepare(text, options);
  const counts = new Map<number, number>();
  const where = new Map<number, Set<number>>();
  const heap = new PairHeap();
  const index = (key: number, w: number) => {
    const set = where.get(key);
    if (set) set.add(w);
    else where.set(key, new Set([w]));
  };
  words.forEach((word, w) => {
    for (let i = 0; i + 1 < word.ids.length; i++) {
      const key = pairKey(word.ids[i]!, word.ids[i + 1]!);
      counts.set(key, (counts.get(key) ?? 0) + word.count);
      index(key, w);
    }
  });
  for (const [key, count] of counts) heap.push(count, key);
  const vocab = new Vocabulary();
  while (vocab.size < options.vocabSize) {
    const best = heap.popValid(counts);
    if (!best) break;
    const [a, b] = split(best.key);
    const id = vocab.merge(a, b);
    const delta = new Map<number, number>();
    const bump = (key: number, by: number) => delta.set(key, (delta.get(key) ?? 0) + by);
    for (const w of where.get(best.key) ?? []) {
      const word = words[w]!;
      const merged = mergeWord(word.ids, a, b, id);
      if (merged === word.ids) continue; // an index entry left from before an earlier merge changed the word
      for (let i = 0; i + 1 < word.ids.length; i++)
        bump(pairKey(word.ids[i]!, word.ids[i + 1]!), -word.count);
      for (let i = 0; i + 1 < merged.length; i++) {
        const key = pairKey(merged[i]!, merged[i + 1]!);
        bump(key, word.count);
        index(key, w);
      }
      word.ids = merged;
    }
    where.delete(best.key);
    for (const [key, by] of delta) {
      if (by === 0) continue;
      const count = (counts.get(key) ?? 0) + by;
      if (count > 0) {
        counts.set(key, count);
        heap.push(count, key);
      } else counts.delete(key);
    }
    vocab.record(a, b, id, best.count);
  }
  return finish(vocab, options);
}

/**
 * The textbook trainer: count every pair of every word again before each merge. Same merges as trainBpe (same
 * tie rule); kept as the reference the incremental trainer is tested against and the baseline its speed is
 * measured against.
 */
export function trainBpeNaive(text: string, options: TrainOptions): Trained {
  const words = prepare(text, options);
  const vocab = new Vocabulary();
  while (vocab.size < options.vocabSize) {
    const counts = new Map<number, number>();
    for (const word of words)
      for (let i = 0; i + 1 < word.ids.length; i++) {
        const key = pairKey(word.ids[i]!, word.ids[i + 1]!);
        counts.set(key, (counts.get(key) ?? 0) + word.count);
      }
    let bestKey = -1;
    let bestCount = 0;
    for (const [key, count] of counts)
      if (count > bestCount || (count === bestCount && key < bestKey)) {
        bestKey = key;
        bestCount = count;
      }
    if (bestKey < 0) break;
    const [a, b] = split(bestKey);
    const id = vocab.merge(a, b);
    for (const word of words) word.ids = mergeWord(word.ids, a, b, id);
    vocab.record(a, b, id, bestCount);
  }
  return finish(vocab, options);
}

function prepare(text: string, options: TrainOptions): Word[] {
  const { vocabSize } = options;
  if (text.length === 0) throw new Error('trainBpe: the training text is empty');
  if (!Number.isInteger(vocabSize) || vocabSize < 256)
    throw new RangeError(
      `trainBpe: vocabSize must be a whole number ≥ 256 (the single bytes), got ${vocabSize}`,
    );
  if (vocabSize > SHIFT)
    throw new RangeError(`trainBpe: vocabSize ${vocabSize} is over the limit of ${SHIFT}`);
  const splitter = new RegExp(options.pattern ?? GPT2_PATTERN, 'gu');
  const frequency = new Map<string, number>();
  for (const [piece] of text.matchAll(splitter)) {
    const bytes = utf8ByteString(piece);
    frequency.set(bytes, (frequency.get(bytes) ?? 0) + 1);
  }
  // Unique pieces with their counts, in first-seen order: training is deterministic.
  return [...frequency].map(([bytes, count]) => ({
    ids: Array.from(bytes, (c) => c.charCodeAt(0)),
    count,
  }));
}

/** The word with every non-overlapping (a, b), left to right, replaced by id; the same array if there is none. */
function mergeWord(ids: number[], a: number, b: number, id: number): number[] {
  let out: number[] | undefined;
  for (let i = 0; i < ids.length; i++) {
    if (i + 1 < ids.length && ids[i] === a && ids[i + 1] === b) {
      out ??= ids.slice(0, i);
      out.push(id);
      i++;
    } else out?.push(ids[i]!);
  }
  return out ?? ids;
}

const split = (key: number): [number, number] => [Math.floor(key / SHIFT), key % SHIFT];

/** Ids to byte strings as training grows them; a merge whose bytes already are a token reuses that id. */
class Vocabulary {
  readonly bytes: string[] = Array.from({ length: 256 }, (_, b) => String.fromCharCode(b));
  private readonly ids = new Map(this.bytes.map((s, i) => [s, i]));
  readonly merges: Trained['merges'] = [];

  get size(): number {
    return this.bytes.length;
  }

  /**
   * The id for (a, b): a new one, or the id of a token with the same bytes made by an earlier merge (another path
   * to the same bytes), so that bytes → rank stays one-to-one, as tiktoken's format requires.
   */
  merge(a: number, b: number): number {
    const bytes = this.bytes[a]! + this.bytes[b]!;
    const existing = this.ids.get(bytes);
    if (existing !== undefined) return existing;
    this.ids.set(bytes, this.bytes.length);
    this.bytes.push(bytes);
    return this.bytes.length - 1;
  }

  record(a: number, b: number, id: number, count: number): void {
    this.merges.push({ pair: [a, b], id, count });
  }
}

function finish(vocab: Vocabulary, options: TrainOptions): Trained {
  const target = options.vocabSize;
  if (vocab.size < target)
    throw new RangeError(
      `trainBpe: vocabSize ${target} is more than this text can produce: only ${vocab.size - 256} merges were ` +
        `possible (a vocabulary of ${vocab.size}); every piece is a single token by then`,
    );
  const ranks = new Map(vocab.bytes.map((bytes, id) => [bytes, id]));
  const specialTokens = Object.fromEntries((options.specialTokens ?? []).map((s, i) => [s, vocab.size + i]));
  return {
    tokenizer: new Tokenizer({
      name: options.name ?? `bpe-${target}`,
      ranks,
      pattern: options.pattern ?? GPT2_PATTERN,
      specialTokens,
    }),
    merges: vocab.merges,
  };
}

/** A binary max-heap of (count, pair) ordered by count, then the smaller pair; stale entries are skipped on pop. */
class PairHeap {
  private readonly counts: number[] = [];
  private readonly keys: number[] = [];

  push(count: number, key: number): void {
    this.counts.push(count);
    this.keys.push(key);
    let i = this.counts.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  /** The top entry whose count is still the pair's current count (entries pushed before a change are stale). */
  popValid(current: ReadonlyMap<number, number>): { count: number; key: number } | undefined {
    while (this.counts.length > 0) {
      const count = this.counts[0]!;
      const key = this.keys[0]!;
      this.removeTop();
      if (current.get(key) === count) return { count, key };
    }
    return undefined;
  }

  private removeTop(): void {
    const lastCount = this.counts.pop()!;
    const lastKey = this.keys.pop()!;
    if (this.counts.length === 0) return;
    this.counts[0] = lastCount;
    this.keys[0] = lastKey;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let top = i;
      if (l < this.counts.length && this.before(l, top)) top = l;
      if (r < this.counts.length && this.before(r, top)) top = r;
      if (top === i) return;
      this.swap(i, top);
      i = top;
    }
  }

  private before(i: number, j: number): boolean {
    const ci = this.counts[i]!;
    const cj = this.counts[j]!;
    return ci > cj || (ci === cj && this.keys[i]! < this.keys[j]!);
  }

  private swap(i: number, j: number): void {
    [this.counts[i], this.counts[j]] = [this.counts[j]!, this.counts[i]!];
    [this.keys[i], this.keys[j]] = [this.keys[j]!, this.keys[i]!];
  }
}
