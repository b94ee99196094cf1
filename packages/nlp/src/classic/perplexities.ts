import type { Book } from '@mle/datasets';
import { NgramModel } from './ngram.js';
import { sentences } from './words.js';

export interface PerplexityRow {
  order: number;
  smoothing: 'kneser-ney' | 'add-k';
  perplexity: number;
}

/**
 * The demo's and bench's language-model experiment: word n-grams of order 1…maxOrder trained on the first 120
 * sections of the book (front matter and chapters 1–117) and scored on the rest (chapters 118–135 and the
 * epilogue), Kneser–Ney beside add-k
 * (k = 0.01). Returns the rows and the best Kneser–Ney model.
 */
export function ngramPerplexities(book: Book, maxOrder: number): { rows: PerplexityRow[]; best: NgramModel } {
  const train = book.sections.slice(0, 120).flatMap((s) => sentences(s.text));
  const heldOut = book.sections.slice(120).flatMap((s) => sentences(s.text));
  const rows: PerplexityRow[] = [];
  let best: NgramModel | undefined;
  let bestPerplexity = Number.POSITIVE_INFINITY;
  for (let order = 1; order <= maxOrder; order++) {
    const kn = new NgramModel({ order, smoothing: { kind: 'kneser-ney' } }).fit(train);
    const knPerplexity = kn.perplexity(heldOut);
    rows.push({ order, smoothing: 'kneser-ney', perplexity: knPerplexity });
    if (knPerplexity < bestPerplexity) {
      bestPerplexity = knPerplexity;
      best = kn;
    }
    const addK = new NgramModel({ order, smoothing: { kind: 'add-k', k: 0.01 } }).fit(train);
    rows.push({ order, smoothing: 'add-k', perplexity: addK.perplexity(heldOut) });
  }
  if (!best) throw new RangeError(`ngramPerplexities: maxOrder must be ≥ 1, got ${maxOrder}`);
  return { rows, best };
}
