import { loadMobyDick, loadSentiment, mulberry32 } from '@mle/datasets';
import { jaccard, shingles } from './minhash.js';

export interface NearDupCorpus {
  texts: string[];
  /** Where each text came from: 'sentence', 'moby-dick', or 'copy' for an injected near-copy. */
  kinds: ('sentence' | 'moby-dick' | 'copy')[];
  /** For each injected copy, [original, copy] and the share of words edited. */
  injected: { original: number; copy: number; edited: number }[];
}

/** Moby Dick's paragraphs of at least `minWords` words. */
export function mobyDickParagraphs(minWords = 20): string[] {
  return loadMobyDick()
    .sections.flatMap((s) => s.text.split(/\n\s*\n/))
    .map((p) => p.replace(/\s+/g, ' ').trim())
    .filter((p) => p.split(' ').length >= minWords);
}

/**
 * The 3,000 labelled sentences and Moby Dick's paragraphs, plus `copies` near-copies of documents drawn at random:
 * each copy has a share of its words edited (drawn uniformly from `editRange`), each edit a deletion, an insertion of
 * a word from elsewhere in the corpus, or a substitution, and some copies change case and punctuation too. Copies go
 * at the end; the originals keep their positions.
 */
export function nearDupCorpus(
  options: { copies?: number; seed?: number; editRange?: [number, number] } = {},
): NearDupCorpus {
  const { copies = 400, seed = 7, editRange = [0.02, 0.3] } = options;
  const random = mulberry32(seed);
  const sentences = loadSentiment().map((s) => s.text);
  const paragraphs = mobyDickParagraphs();
  const texts = [...sentences, ...paragraphs];
  const kinds: NearDupCorpus['kinds'] = [
    ...sentences.map(() => 'sentence' as const),
    ...paragraphs.map(() => 'moby-dick' as const),
  ];
  const originals = texts.length;
  const vocabulary = texts.flatMap((t) => t.split(' ')).filter((w) => w.length > 0);
  const injected: NearDupCorpus['injected'] = [];
  for (let c = 0; c < copies; c++) {
    const original = Math.floor(random() * originals);
    const rate = editRange[0] + random() * (editRange[1] - editRange[0]);
    const words = texts[original]!.split(' ');
    const out: string[] = [];
    let edits = 0;
    for (const word of words) {
      if (random() >= rate) {
        out.push(word);
        continue;
      }
      edits++;
      const what = random();
      const other = vocabulary[Math.floor(random() * vocabulary.length)]!;
      if (what < 1 / 3) continue; // deleted
      if (what < 2 / 3)
        out.push(word, other); // a word inserted after it
      else out.push(other); // substituted
    }
    let text = out.join(' ');
    if (random() < 0.3) text = text.toUpperCase();
    if (random() < 0.3) text = text.replace(/[.,;!?]/g, '');
    injected.push({ original, copy: texts.length, edited: edits / words.length });
    texts.push(text);
    kinds.push('copy');
  }
  return { texts, kinds, injected };
}

export interface PairScore {
  /** Pairs in the sample at or above the threshold by exact Jaccard. */
  truePairs: number;
  /** Pairs in the sample the method reported. */
  reported: number;
  /** Reported pairs that are true. */
  correct: number;
  precision: number;
  recall: number;
  /** Pairs compared exactly (sample² / 2). */
  comparisons: number;
}

/**
 * Scores reported near-duplicate pairs against exact Jaccard on all pairs of a sample of documents: precision is the
 * share of reported pairs (both ends in the sample) whose exact similarity reaches the threshold, recall the share of
 * such pairs that were reported.
 */
export function scoreAgainstExact(
  texts: readonly string[],
  sample: readonly number[],
  reported: readonly [number, number][],
  threshold: number,
  shingleSize = 5,
): PairScore {
  const sets = sample.map((i) => shingles(texts[i]!, shingleSize));
  const inSample = new Map(sample.map((doc, position) => [doc, position]));
  const truth = new Set<string>();
  let comparisons = 0;
  for (let x = 0; x < sample.length; x++) {
    for (let y = x + 1; y < sample.length; y++) {
      comparisons++;
      if (jaccard(sets[x]!, sets[y]!) >= threshold) {
        const [i, j] = [sample[x]!, sample[y]!];
        truth.add(i < j ? `${i},${j}` : `${j},${i}`);
      }
    }
  }
  const mine = reported.filter(([i, j]) => inSample.has(i) && inSample.has(j));
  const correct = mine.filter(([i, j]) => truth.has(`${i},${j}`)).length;
  return {
    truePairs: truth.size,
    reported: mine.length,
    correct,
    precision: mine.length === 0 ? 1 : correct / mine.length,
    recall: truth.size === 0 ? 1 : correct / truth.size,
    comparisons,
  };
}

/**
 * A sample of `size` documents that holds every injected pair whose two ends fit (so the near-duplicates are there to
 * find) and is filled with documents drawn at random: the set exact Jaccard is computed over.
 */
export function sampleWithCopies(corpus: NearDupCorpus, size: number, seed = 11): number[] {
  const random = mulberry32(seed);
  const chosen = new Set<number>();
  for (const { original, copy } of corpus.injected) {
    if (chosen.size + 2 > size / 2) break;
    chosen.add(original);
    chosen.add(copy);
  }
  while (chosen.size < Math.min(size, corpus.texts.length))
    chosen.add(Math.floor(random() * corpus.texts.length));
  return [...chosen].sort((a, b) => a - b);
}
