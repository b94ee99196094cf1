import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Book } from '@mle/datasets';
import { recipeKey, replaceArtifacts } from '@mle/report';
import { sentences } from '../classic/words.js';
import { ARTIFACTS } from '../sequence/trained.js';
import { trainWord2Vec, type Word2VecOptions, WordVectors } from './word2vec.js';

/** word2vec.c's defaults for skip-gram (dim 100, window 5, 5 noise words, t = 10⁻³, lr 0.025), 5 epochs (~45 s). */
export const MOBY_WORD2VEC: Word2VecOptions = {
  dim: 100,
  window: 5,
  negative: 5,
  minCount: 5,
  sample: 1e-3,
  epochs: 5,
  lr: 0.025,
  seed: 1,
};

/** A few seconds of training for `-- --quick` runs and CI. */
export const MOBY_WORD2VEC_QUICK: Word2VecOptions = { ...MOBY_WORD2VEC, dim: 32, epochs: 1 };

/** Words whose neighbours the demo and README show. */
export const PROBE_WORDS = ['whale', 'ship', 'captain', 'sea', 'harpoon', 'ahab'] as const;

/** Analogies the book's own text can support: a grammatical one each (pronouns, plurals, tense). */
export const ANALOGIES: readonly [string, string, string, string][] = [
  ['he', 'his', 'she', 'her'],
  ['whale', 'whales', 'boat', 'boats'],
  ['man', 'men', 'ship', 'ships'],
  ['is', 'was', 'has', 'had'],
];

/** Groups of words for the 2-D projection chart. */
export const PROJECTION_GROUPS: Record<string, readonly string[]> = {
  crew: ['ahab', 'starbuck', 'stubb', 'flask', 'queequeg', 'ishmael', 'tashtego', 'daggoo'],
  'sea creatures': ['whale', 'shark', 'fish', 'sperm', 'dolphin', 'squid'],
  ship: ['mast', 'deck', 'sail', 'boat', 'ship', 'hull', 'bow', 'stern'],
  numbers: ['one', 'two', 'three', 'four', 'five', 'ten', 'hundred', 'thousand'],
};

export interface MobyVectors {
  vectors: WordVectors;
  /** Seconds the training took (when it ran; a loaded model reports the run that made it). */
  seconds: number;
  epochLoss: number[];
  pairs: number;
  key: string;
  loaded: boolean;
  neighbours: { word: string; nearest: { word: string; similarity: number }[] }[];
  analogies: { question: [string, string, string]; expected: string; top: string[]; rank: number | null }[];
}

/**
 * Word vectors of every sentence of the book (words by the classic rules), loaded from `artifacts/` when a run with
 * the same options and code saved them, else trained and saved; then probed for neighbours and analogies.
 */
export function mobyWordVectors(
  book: Book,
  options: Word2VecOptions = MOBY_WORD2VEC,
  log: (line: string) => void = () => {},
  artifacts = ARTIFACTS,
): MobyVectors {
  const key = recipeKey(options, fileURLToPath(new URL('../..', import.meta.url)), [
    './src/vectors',
    './src/classic',
    '@mle/datasets',
  ]);
  const prefix = `word2vec-${options.dim}d-`;
  const base = join(artifacts, `${prefix}${key}`);
  let trained: { vectors: WordVectors; seconds: number; epochLoss: number[]; pairs: number };
  const loaded = existsSync(`${base}.json`);
  if (loaded) {
    const meta = JSON.parse(readFileSync(`${base}.json`, 'utf8'));
    const bytes = readFileSync(`${base}.bin`);
    const data = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    trained = { ...meta, vectors: new WordVectors(meta.words, data, meta.dim) };
    log(`loaded word vectors from ${base}.* (options ${key})`);
  } else {
    log(`no word vectors for options ${key} yet: training word2vec (${options.epochs} epochs)…`);
    const started = performance.now();
    const result = trainWord2Vec(sentences(book.text), options);
    trained = { ...result, seconds: (performance.now() - started) / 1000 };
    replaceArtifacts(artifacts, prefix, key);
    const { words, dim } = result.vectors;
    const { seconds, epochLoss, pairs } = trained;
    writeFileSync(`${base}.bin`, new Uint8Array(result.vectors.vectors.buffer));
    writeFileSync(`${base}.json`, `${JSON.stringify({ words, dim, seconds, epochLoss, pairs })}\n`);
    log(`saved the word vectors to ${base}.*`);
  }
  const { vectors } = trained;
  const neighbours = PROBE_WORDS.filter((w) => vectors.has(w)).map((word) => ({
    word,
    nearest: vectors.mostSimilar(word, 6),
  }));
  const analogies = ANALOGIES.filter((q) => q.every((w) => vectors.has(w))).map(([a, b, c, expected]) => {
    const ranked = vectors.analogy(a, b, c, 20).map((r) => r.word);
    const at = ranked.indexOf(expected);
    return {
      question: [a, b, c] as [string, string, string],
      expected,
      top: ranked.slice(0, 3),
      rank: at < 0 ? null : at + 1,
    };
  });
  return { ...trained, key, loaded, neighbours, analogies };
}
