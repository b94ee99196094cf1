import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadStateDict, saveStateDict } from '@mle/autograd';
import type { Book } from '@mle/datasets';
import { recipeKey, replaceArtifacts } from '@mle/report';
import {
  type CharLm,
  type CharLmHistory,
  type CharLmRecipe,
  CharVocabulary,
  charLmFor,
  trainCharLm,
} from './char-lm.js';

export const ARTIFACTS = fileURLToPath(new URL('../../artifacts/', import.meta.url));

/** The README's model: one LSTM layer of 128 over 32-wide character embeddings, windows of 64, about one epoch. */
export const CHAR_LM_RECIPE: CharLmRecipe = {
  embedding: 32,
  hidden: 128,
  layers: 1,
  batch: 32,
  window: 64,
  steps: 600,
  lr: 3e-3,
  clip: 5,
  evalEvery: 50,
  valChars: 30_000,
  seed: 0,
};

/** A few seconds of training, for `-- --quick` runs and CI: it learns spelling fragments, not words. */
export const CHAR_LM_QUICK: CharLmRecipe = {
  ...CHAR_LM_RECIPE,
  embedding: 16,
  hidden: 64,
  batch: 16,
  window: 32,
  steps: 60,
  lr: 1e-2,
  evalEvery: 20,
  valChars: 10_000,
};

/**
 * The same split as the word n-grams: the front matter and chapters 1–117 to train, chapters 118–135 and the
 * epilogue to validate. The vocabulary is every character of the book.
 */
export function charLmData(book: Book) {
  const vocabulary = CharVocabulary.fromText(book.text);
  const text = (sections: Book['sections']) => sections.map((s) => s.text).join('\n\n');
  return {
    vocabulary,
    train: vocabulary.encode(text(book.sections.slice(0, 120))),
    val: vocabulary.encode(text(book.sections.slice(120))),
  };
}

export interface TrainedCharLm {
  model: CharLm;
  vocabulary: CharVocabulary;
  history: CharLmHistory;
  key: string;
  /** True when the weights came from `artifacts/`, false when they were trained by this call. */
  loaded: boolean;
}

/**
 * The character LSTM of `recipe`: loaded from `artifacts/` when a run with the same recipe and the same training
 * code saved it, else trained now and saved under the recipe's key with its training history. Older artifacts of
 * a model of the same size are removed (those of another size, e.g. the quick recipe's, are kept).
 */
export function trainedCharLm(
  book: Book,
  recipe: CharLmRecipe,
  log: (line: string) => void = () => {},
  artifacts = ARTIFACTS,
): TrainedCharLm {
  // The model's own code is this directory; the rest of the package (tokenizer, n-grams) does not change training.
  const key = recipeKey(recipe, fileURLToPath(new URL('../..', import.meta.url)), [
    './src/sequence',
    '@mle/autograd',
    '@mle/tensor',
    '@mle/datasets',
  ]);
  const { vocabulary, train, val } = charLmData(book);
  const model = charLmFor(recipe, vocabulary.size);
  const prefix = `char-lstm-${recipe.hidden}x${recipe.layers}-`;
  const base = join(artifacts, `${prefix}${key}`);
  if (existsSync(`${base}.history.json`)) {
    model.loadStateDict(loadStateDict(base));
    const history: CharLmHistory = JSON.parse(readFileSync(`${base}.history.json`, 'utf8'));
    log(`loaded the trained character LSTM from ${base}.* (recipe ${key})`);
    return { model, vocabulary, history, key, loaded: true };
  }
  log(`no weights for recipe ${key} yet: training the character LSTM (${recipe.steps} steps)…`);
  const history = trainCharLm(model, train, val, recipe, log);
  replaceArtifacts(artifacts, prefix, key);
  saveStateDict(model.stateDict(), base);
  writeFileSync(`${base}.history.json`, `${JSON.stringify(history)}\n`);
  log(`saved the weights and history to ${base}.*`);
  return { model, vocabulary, history, key, loaded: false };
}
