import { Rng } from '@mle/tensor';

export const BOS = '<s>';
export const EOS = '</s>';
export const UNK = '<unk>';

export type Smoothing =
  /** Interpolated Kneser–Ney (Chen & Goodman, 1998, §3.5/§4.1.6): one discount per order, D = n1 / (n1 + 2·n2). */
  | { kind: 'kneser-ney' }
  /** Add-k (Lidstone) on the highest order only: (c(h, w) + k) / (c(h) + k·|V|). */
  | { kind: 'add-k'; k: number };

export interface NgramOptions {
  order: number;
  smoothing: Smoothing;
  /** Words seen fewer times than this in training become <unk> (2 by default). */
  minCount?: number;
}

const SEP = '\u0001';
const key = (words: readonly string[]) => words.join(SEP);

/** Counts at one order: of each n-gram, and per history (its n − 1 first words) the total and the distinct followers. */
interface Level {
  counts: Map<string, number>;
  totals: Map<string, number>;
  followers: Map<string, number>;
  discount: number;
}

/**
 * An n-gram language model over words. Sentences are padded with n − 1 `<s>` and end with `</s>`; `<s>` is never
 * predicted. With Kneser–Ney the highest order uses the counts and every lower order the *continuation* counts
 * N1+(• h w) — in how many different contexts an n-gram appears, not how often — and each order is interpolated
 * with the next lower one, down to the uniform distribution over the vocabulary:
 *   P(w | h) = max(c(h w) − D, 0) / c(h) + D · N1+(h •) / c(h) · P(w | h′)
 * (Chen & Goodman, "An Empirical Study of Smoothing Techniques for Language Modeling", 1998). A history never seen
 * backs off to the lower order whole.
 */
export class NgramModel {
  readonly order: number;
  readonly smoothing: Smoothing;
  private readonly minCount: number;
  private vocab: Set<string> | undefined;
  private levels: Level[] = [];

  constructor(options: NgramOptions) {
    const { order, smoothing, minCount = 2 } = options;
    if (!Number.isInteger(order) || order < 1)
      throw new RangeError(`NgramModel: order must be a whole number ≥ 1, got ${order}`);
    if (smoothing.kind === 'add-k' && !(smoothing.k > 0))
      throw new RangeError(`NgramModel: add-k needs k > 0, got ${smoothing.k}`);
    this.order = order;
    this.smoothing = smoothing;
    this.minCount = minCount;
  }

  /** The vocabulary predicted over: training words seen minCount times or more, `</s>` and `<unk>`. */
  get vocabulary(): ReadonlySet<string> {
    return this.fitted();
  }

  fit(sentences: readonly (readonly string[])[]): this {
    const frequency = new Map<string, number>();
    for (const s of sentences) for (const w of s) frequency.set(w, (frequency.get(w) ?? 0) + 1);
    const vocab = new Set([...frequency].filter(([, c]) => c >= this.minCount).map(([w]) => w));
    if (vocab.size === 0)
      throw new Error(
        `NgramModel.fit: no word occurs ${this.minCount} times or more in the training sentences`,
      );
    vocab.add(EOS).add(UNK);
    vocab.delete(BOS);
    this.vocab = vocab;
    const n = this.order;
    // Raw counts, from the padded sentences; an n-gram that would predict <s> is not counted. Add-k needs the
    // highest order only; Kneser–Ney the highest for itself and orders 2… for the continuation counts below them.
    const lowest = this.smoothing.kind === 'add-k' ? n : Math.min(2, n);
    const raw: Map<string, number>[] = Array.from({ length: n + 1 }, () => new Map());
    for (const s of sentences) {
      const padded = [...Array(n - 1).fill(BOS), ...s.map((w) => this.known(w)), EOS];
      for (let end = n - 1; end < padded.length; end++)
        for (let m = lowest; m <= n; m++) {
          const k = key(padded.slice(end - m + 1, end + 1));
          raw[m]!.set(k, (raw[m]!.get(k) ?? 0) + 1);
        }
    }
    this.levels = [];
    this.levels[n] = level(raw[n]!);
    if (this.smoothing.kind === 'kneser-ney')
      for (let m = 1; m < n; m++) {
        // Continuation counts: the number of distinct words seen before each m-gram.
        const counts = new Map<string, number>();
        for (const k of raw[m + 1]!.keys()) {
          const suffix = k.slice(k.indexOf(SEP) + 1);
          counts.set(suffix, (counts.get(suffix) ?? 0) + 1);
        }
        this.levels[m] = level(counts);
      }
    return this;
  }

  /** P(word | context), the context's last n − 1 words counting; unknown words are <unk>. */
  probability(word: string, context: readonly string[] = []): number {
    const vocab = this.fitted();
    if (word === BOS) throw new Error('NgramModel.probability: <s> is never predicted');
    const padded = [...Array(this.order - 1).fill(BOS), ...context.map((w) => this.known(w))];
    const history = padded.slice(padded.length - (this.order - 1));
    const w = this.known(word);
    if (this.smoothing.kind === 'add-k') {
      const top = this.levels[this.order]!;
      const h = key(history);
      const total = top.totals.get(h) ?? 0;
      const count = top.counts.get(key([...history, w])) ?? 0;
      return (count + this.smoothing.k) / (total + this.smoothing.k * vocab.size);
    }
    return this.kneserNey(w, history, vocab.size);
  }

  /** exp of the mean negative log-probability of every word and `</s>` of the sentences. */
  perplexity(sentences: readonly (readonly string[])[]): number {
    let logSum = 0;
    let count = 0;
    for (const s of sentences) {
      const words = [...s, EOS];
      for (let i = 0; i < words.length; i++) {
        logSum -= Math.log(this.probability(words[i]!, s.slice(0, i)));
        count++;
      }
    }
    if (count === 0) throw new Error('NgramModel.perplexity: no sentences to score');
    return Math.exp(logSum / count);
  }

  /** A sentence sampled word by word from the model (seeded), up to `maxWords`. */
  generate(seed: number, maxWords = 40): string[] {
    const vocab = [...this.fitted()].filter((w) => w !== UNK);
    const rng = new Rng(seed);
    const out: string[] = [];
    while (out.length < maxWords) {
      const probabilities = vocab.map((w) => this.probability(w, out));
      let r = rng.uniform([1]).data[0]! * probabilities.reduce((a, b) => a + b, 0);
      let pick = vocab.length - 1;
      for (let i = 0; i < vocab.length; i++) {
        r -= probabilities[i]!;
        if (r <= 0) {
          pick = i;
          break;
        }
      }
      if (vocab[pick] === EOS) break;
      out.push(vocab[pick]!);
    }
    return out;
  }

  private kneserNey(w: string, history: string[], vocabSize: number): number {
    // Lowest order first, each interpolated into the next: P_0 is uniform over the vocabulary.
    let p = 1 / vocabSize;
    for (let m = 1; m <= this.order; m++) {
      const h = history.slice(history.length - (m - 1));
      const lvl = this.levels[m]!;
      const hk = key(h);
      const total = lvl.totals.get(hk) ?? 0;
      if (total === 0) continue; // an unseen history: this order adds nothing, the lower one stands
      const count = lvl.counts.get(key([...h, w])) ?? 0;
      const followers = lvl.followers.get(hk) ?? 0;
      p = Math.max(count - lvl.discount, 0) / total + ((lvl.discount * followers) / total) * p;
    }
    return p;
  }

  private known(word: string): string {
    const vocab = this.fitted();
    return word === BOS || vocab.has(word) ? word : UNK;
  }

  private fitted(): Set<string> {
    if (!this.vocab) throw new Error('NgramModel: call fit(sentences) before using the model');
    return this.vocab;
  }
}

function level(counts: Map<string, number>): Level {
  const totals = new Map<string, number>();
  const followers = new Map<string, number>();
  let n1 = 0;
  let n2 = 0;
  for (const [k, c] of counts) {
    const cut = k.lastIndexOf(SEP);
    const h = cut < 0 ? '' : k.slice(0, cut);
    totals.set(h, (totals.get(h) ?? 0) + c);
    followers.set(h, (followers.get(h) ?? 0) + 1);
    if (c === 1) n1++;
    else if (c === 2) n2++;
  }
  // Chen & Goodman's estimate of the optimal absolute discount (Ney, Essen & Kneser, 1994).
  const discount = n1 + n2 > 0 ? n1 / (n1 + 2 * n2) : 0.5;
  return { counts, totals, followers, discount };
}
