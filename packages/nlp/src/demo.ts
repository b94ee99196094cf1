/** Run: pnpm --filter @mle/nlp demo [-- --quick] */
import { loadMobyDick, loadSentiment } from '@mle/datasets';
import { demoFlags, formatTable } from '@mle/report';
import { ngramPerplexities } from './classic/perplexities.js';
import { crossValidate, ourNaiveBayes, ourTfidfLogistic } from './classic/sentiment.js';
import {
  CHAR_LM_QUICK,
  CHAR_LM_RECIPE,
  CL100K_PATTERN,
  type EncodingName,
  loadEncoding,
  MOBY_WORD2VEC,
  MOBY_WORD2VEC_QUICK,
  mobyWordVectors,
  sampleCharLm,
  type Tokenizer,
  trainBpe,
  trainedCharLm,
} from './index.js';

const { quick } = demoFlags();
const sentence =
  "Call me Ishmael. Some years ago—never mind how long precisely—I thought I'd sail about 1,851 miles. 🐋";

const pieces = (tokenizer: Tokenizer, ids: number[]) =>
  ids.map((id) => JSON.stringify(tokenizer.piece(id))).join(' ');

console.log(`The sentence: ${sentence}\n`);
const rows: string[][] = [];
for (const name of ['r50k_base', 'cl100k_base', 'o200k_base'] as EncodingName[]) {
  const tokenizer = await loadEncoding(name);
  const ids = tokenizer.encode(sentence);
  rows.push([name, String(ids.length), ids.slice(0, 8).join(' ') + (ids.length > 8 ? ' …' : '')]);
  console.log(`${name}: ${pieces(tokenizer, ids)}`);
}
console.log(`\n${formatTable(['encoding', 'tokens', 'first ids'], rows)}`);

// Training a small vocabulary of our own on Moby Dick: the merges it learns first, and the sentence in it.
const book = loadMobyDick().text;
const vocabSize = quick ? 512 : 2048;
const started = performance.now();
const { tokenizer, merges } = trainBpe(quick ? book.slice(0, 200_000) : book, {
  vocabSize,
  pattern: CL100K_PATTERN,
  specialTokens: ['<|endoftext|>'],
});
const seconds = (performance.now() - started) / 1000;
console.log(`\nTrained a ${vocabSize}-token byte-level BPE on Moby Dick in ${seconds.toFixed(1)} s.`);
console.log(
  `First merges: ${merges
    .slice(0, 12)
    .map((m) => JSON.stringify(tokenizer.piece(m.id)))
    .join(' ')}`,
);
console.log(
  `Last merges:  ${merges
    .slice(-6)
    .map((m) => JSON.stringify(tokenizer.piece(m.id)))
    .join(' ')}`,
);
const ids = tokenizer.encode(sentence);
console.log(`The sentence in it (${ids.length} tokens): ${pieces(tokenizer, ids)}`);
console.log(`Decoded back unchanged: ${tokenizer.decode(ids) === sentence}`);

// Word n-gram language models: perplexity on held-out chapters, and a sentence sampled from the best one.
const orders = quick ? 3 : 5;
const { rows: perplexity, best } = ngramPerplexities(loadMobyDick(), orders);
const ppl = (order: number, smoothing: string) =>
  perplexity.find((r) => r.order === order && r.smoothing === smoothing)!.perplexity.toFixed(1);
console.log('\nWord n-grams, perplexity on chapters 118–135 and the epilogue (trained on chapters 1–117):');
console.log(
  formatTable(
    ['n', 'interpolated Kneser–Ney', 'add-k (k = 0.01)'],
    Array.from({ length: orders }, (_, i) => [String(i + 1), ppl(i + 1, 'kneser-ney'), ppl(i + 1, 'add-k')]),
  ),
);
console.log(`Sampled from the ${best.order}-gram Kneser–Ney model (seed 1): ${best.generate(1).join(' ')}`);

// Sentiment with naive Bayes and with TF-IDF + logistic regression (the peer is measured beside them in the bench).
console.log(
  '\nSentiment, 3,000 labelled sentences, stratified 10-fold cross-validation (the same folds for both):',
);
console.log(
  formatTable(
    ['classifier', 'accuracy', 'macro-F1'],
    crossValidate(loadSentiment(), [ourNaiveBayes, ourTfidfLogistic(10)]).map((c) => [
      c.name,
      `${(100 * c.accuracy).toFixed(2)}%`,
      `${(100 * c.macroF1).toFixed(2)}%`,
    ]),
  ),
);

// The character LSTM: trained once per recipe and code, then loaded from artifacts/ (the first full run trains it
// for several minutes; -- --quick trains a small one in seconds).
const lm = trainedCharLm(loadMobyDick(), quick ? CHAR_LM_QUICK : CHAR_LM_RECIPE, (line) =>
  console.log(`  ${line}`),
);
const last = lm.history.val.at(-1)!;
console.log(
  `\nCharacter LSTM (hidden ${lm.model.config.hidden}), validation loss ${last.loss.toFixed(3)} nats/char after ${last.step} steps (${(last.loss / Math.LN2).toFixed(2)} bits/char).`,
);
for (const temperature of [0.5, 1])
  console.log(
    `Sample at temperature ${temperature}: ${JSON.stringify(sampleCharLm(lm.model, lm.vocabulary, { prompt: 'The whale ', length: 160, temperature, seed: 1 }))}`,
  );

// Word vectors: skip-gram with negative sampling on the whole book (cached under artifacts/ after the first run).
const w2v = mobyWordVectors(loadMobyDick(), quick ? MOBY_WORD2VEC_QUICK : MOBY_WORD2VEC, (line) =>
  console.log(`  ${line}`),
);
console.log(
  `\nword2vec (${w2v.vectors.words.length} words, dim ${w2v.vectors.dim}), nearest neighbours${quick ? ' (-- --quick: one epoch, far from converged; the full demo trains five)' : ''}:`,
);
console.log(
  formatTable(
    ['word', 'nearest'],
    w2v.neighbours.map((n) => [
      n.word,
      n.nearest.map((x) => `${x.word} ${x.similarity.toFixed(2)}`).join(', '),
    ]),
  ),
);
for (const a of w2v.analogies)
  console.log(
    `${a.question[0]} : ${a.question[1]} :: ${a.question[2]} : ${a.top[0]} (expected ${a.expected}, ranked ${a.rank ?? '> 20'})`,
  );
