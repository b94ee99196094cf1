/**
 * Run: pnpm --filter @mle/nlp bench [-- --json] [-- --quick]
 * Tokenizer encode throughput on Moby Dick, ours beside js-tiktoken and gpt-tokenizer in the same process, for
 * r50k, cl100k and o200k; and BPE training to a 4,096-token vocabulary, incremental beside the recount-every-merge
 * trainer; n-gram perplexities; the sentiment classifiers cross-validated beside wink; the character LSTM's training
 * throughput beside TensorFlow.js (wasm), and the trained model's validation loss and samples; word2vec's neighbours
 * and analogies. A full run writes the README's results table, the three charts and bench/results.json.
 */
import { fileURLToPath } from 'node:url';
import { Adam } from '@mle/autograd';
import { loadMobyDick, loadSentiment } from '@mle/datasets';
import {
  type BenchResult,
  benchFlags,
  benchLog,
  benchRecord,
  commitBenchRun,
  groupedBarChartSvg,
  lineChartSvg,
  markdownTable,
  measure,
  median,
  printBenchReport,
  resultValue,
  scatterChartSvg,
} from '@mle/report';
import * as tf from '@tensorflow/tfjs';
import * as gptCl100k from 'gpt-tokenizer/encoding/cl100k_base';
import * as gptO200k from 'gpt-tokenizer/encoding/o200k_base';
import * as gptR50k from 'gpt-tokenizer/encoding/r50k_base';
import '@tensorflow/tfjs-backend-wasm';
import { getEncoding } from 'js-tiktoken';
import { ngramPerplexities } from '../src/classic/perplexities.js';
import { crossValidate, ourNaiveBayes, ourTfidfLogistic } from '../src/classic/sentiment.js';
import {
  CHAR_LM_QUICK,
  CHAR_LM_RECIPE,
  CL100K_PATTERN,
  charLmData,
  charLmFor,
  charLmStep,
  type EncodingName,
  loadEncoding,
  MOBY_WORD2VEC,
  MOBY_WORD2VEC_QUICK,
  mobyWordVectors,
  PROJECTION_GROUPS,
  pca2,
  sampleCharLm,
  streamWindows,
  trainBpe,
  trainBpeNaive,
  trainedCharLm,
} from '../src/index.js';
import { tfjsCharLstmSteps } from './char-lstm-tfjs.js';
import { winkNaiveBayesClassifier } from './wink.js';

const { json, quick } = benchFlags();
const log = benchLog({ json });
const book = loadMobyDick().text;
const text = quick ? book.slice(0, 200_000) : book;
const megabytes = Buffer.byteLength(text, 'utf8') / 1e6;
const runs = quick ? 3 : 7;
const results: BenchResult[] = [];
const record = (r: BenchResult) => results.push(r);
const mbps = (c: string, impl: string) => resultValue(results, c, impl, 'mb_per_s');

/** The part of gpt-tokenizer's per-encoding module the bench uses. */
interface GptTokenizer {
  encode(text: string): number[];
  clearMergeCache(): void;
}

const ENCODINGS: { name: EncodingName; case: string; gpt: GptTokenizer }[] = [
  { name: 'r50k_base', case: 'r50k', gpt: gptR50k },
  { name: 'cl100k_base', case: 'cl100k', gpt: gptCl100k },
  { name: 'o200k_base', case: 'o200k', gpt: gptO200k },
];

for (const encoding of ENCODINGS) {
  const ours = await loadEncoding(encoding.name);
  const tiktoken = getEncoding(encoding.name);
  const expected = tiktoken.encode(text);
  const impls: [string, () => number[]][] = [
    ['ours', () => ours.encode(text)],
    ['js-tiktoken', () => tiktoken.encode(text)],
    // Cold: gpt-tokenizer caches the merges of every piece it has seen; cleared before each run, it does the
    // whole work every time, as the other two do.
    [
      'gpt-tokenizer',
      () => {
        encoding.gpt.clearMergeCache();
        return encoding.gpt.encode(text);
      },
    ],
  ];
  for (const [impl, encode] of impls) {
    const ids = encode();
    if (ids.length !== expected.length || ids.some((id, i) => id !== expected[i]))
      throw new Error(`bench: ${impl} ${encoding.name} disagrees with js-tiktoken on the bench text`);
    const timing = measure(encode, { warmup: 1, runs });
    record({
      case: encoding.case,
      impl,
      metric: 'mb_per_s',
      value: megabytes / (timing.median / 1000),
      unit: 'MB/s',
    });
    log(`${encoding.case} ${impl}: ${(megabytes / (timing.median / 1000)).toFixed(2)} MB/s`);
  }
  for (const peer of ['gpt-tokenizer', 'js-tiktoken'])
    record({
      case: encoding.case,
      impl: `ours ÷ ${peer}`,
      metric: 'ratio',
      value: mbps(encoding.case, 'ours') / mbps(encoding.case, peer),
      unit: 'x',
    });
}

// Training: the same merges either way (test/train.test.ts proves it); only the counting differs.
const vocabSize = quick ? 1024 : 4096;
const trainCase = `train-${vocabSize}`;
const trainText = quick ? book.slice(0, 300_000) : book;
for (const [impl, train] of [
  ['ours', trainBpe],
  ['naive', trainBpeNaive],
] as const) {
  const started = performance.now();
  train(trainText, { vocabSize, pattern: CL100K_PATTERN });
  const seconds = (performance.now() - started) / 1000;
  record({ case: trainCase, impl, metric: 'seconds', value: seconds, unit: 's' });
  log(`${trainCase} ${impl}: ${seconds.toFixed(2)} s`);
}
const trainSeconds = (impl: string) => resultValue(results, trainCase, impl, 'seconds');
record({
  case: trainCase,
  impl: 'naive ÷ ours',
  metric: 'ratio',
  value: trainSeconds('naive') / trainSeconds('ours'),
  unit: 'x',
});

// Language models: perplexity on held-out chapters, Kneser–Ney beside add-k (not a speed: the same on any machine).
const orders = quick ? 3 : 5;
for (const row of ngramPerplexities(loadMobyDick(), orders).rows)
  record({
    case: `ngram-${row.order}`,
    impl: row.smoothing,
    metric: 'perplexity',
    value: row.perplexity,
    unit: '',
  });

// Sentiment: 10-fold cross-validation on the 3,000 labelled sentences, the same folds and words for both.
const LOGISTIC_C = [1, 10, 100];
const classifiers = crossValidate(loadSentiment(), [
  ourNaiveBayes,
  winkNaiveBayesClassifier,
  ...LOGISTIC_C.map((C) => ourTfidfLogistic(C)),
]);
const classifierImpls = ['ours-nb', 'wink-nb', ...LOGISTIC_C.map((C) => `ours-tfidf-lr-c${C}`)];
classifiers.forEach((c, i) => {
  const impl = classifierImpls[i]!;
  record({ case: 'sentiment-10fold', impl, metric: 'accuracy', value: 100 * c.accuracy, unit: '%' });
  record({ case: 'sentiment-10fold', impl, metric: 'macro_f1', value: 100 * c.macroF1, unit: '%' });
});

// The character LSTM: training throughput beside the same model in TensorFlow.js (wasm) on the same blocks, then
// the trained model (cached under artifacts/ by recipe and code) with its validation loss, curve and samples.
const lmRecipe = quick ? CHAR_LM_QUICK : CHAR_LM_RECIPE;
const lmData = charLmData(loadMobyDick());
const lmWindows = streamWindows(lmData.train, lmRecipe.batch, lmRecipe.window);
const lmBlocks = Array.from({ length: quick ? 6 : 12 }, () => lmWindows.next().value!.block);
const lmWarmup = 2;
{
  const model = charLmFor(lmRecipe, lmData.vocabulary.size);
  const optimizer = new Adam(model.parameters(), { lr: lmRecipe.lr });
  const seconds = lmBlocks.map((block) => {
    const started = performance.now();
    charLmStep(model, optimizer, block, undefined, lmRecipe.clip);
    return (performance.now() - started) / 1000;
  });
  await tf.setBackend('wasm');
  await tf.ready();
  const theirs = await tfjsCharLstmSteps(lmRecipe, lmData.vocabulary.size, lmBlocks);
  const chars = lmRecipe.batch * lmRecipe.window;
  for (const [impl, times] of [
    ['ours', seconds],
    ['tfjs-wasm', theirs],
  ] as const) {
    const perSecond = chars / median(times.slice(lmWarmup));
    record({ case: 'char-lstm-train', impl, metric: 'chars_per_s', value: perSecond, unit: 'chars/s' });
    log(`char-lstm training ${impl}: ${perSecond.toFixed(0)} chars/s`);
  }
  record({
    case: 'char-lstm-train',
    impl: 'ours ÷ tfjs-wasm',
    metric: 'ratio',
    value:
      resultValue(results, 'char-lstm-train', 'ours', 'chars_per_s') /
      resultValue(results, 'char-lstm-train', 'tfjs-wasm', 'chars_per_s'),
    unit: 'x',
  });
}
const lm = trainedCharLm(loadMobyDick(), lmRecipe, log);
const lmValLoss = lm.history.val.at(-1)!.loss;
record({ case: 'char-lstm', impl: 'ours', metric: 'val_nats_per_char', value: lmValLoss, unit: 'nats/char' });
const lmSamples = [0.5, 1].map((temperature) => ({
  temperature,
  text: sampleCharLm(lm.model, lm.vocabulary, { prompt: 'The whale ', length: 240, temperature, seed: 1 }),
}));

// word2vec on the whole book: training time (cached under artifacts/ like the LSTM), neighbours, analogies, PCA.
const w2v = mobyWordVectors(loadMobyDick(), quick ? MOBY_WORD2VEC_QUICK : MOBY_WORD2VEC, log);
record({ case: 'word2vec', impl: 'ours', metric: 'train_seconds', value: w2v.seconds, unit: 's' });
record({
  case: 'word2vec',
  impl: 'ours',
  metric: 'analogies_top1',
  value: w2v.analogies.filter((a) => a.rank === 1).length,
  unit: `of ${w2v.analogies.length}`,
});

const report = { package: '@mle/nlp', results };
printBenchReport(report, { json });

if (!quick && !json) {
  const run = benchRecord(report);
  const rows = ENCODINGS.map((e) => [
    e.name,
    ...['ours', 'gpt-tokenizer', 'js-tiktoken'].map((impl) => mbps(e.case, impl).toFixed(2)),
    `${(mbps(e.case, 'ours') / mbps(e.case, 'gpt-tokenizer')).toFixed(2)}×`,
    `${(mbps(e.case, 'ours') / mbps(e.case, 'js-tiktoken')).toFixed(2)}×`,
  ]);
  const table = markdownTable(
    [
      'encoding',
      'ours (MB/s)',
      'gpt-tokenizer, cold (MB/s)',
      'js-tiktoken (MB/s)',
      'ours ÷ gpt-tokenizer',
      'ours ÷ js-tiktoken',
    ],
    rows,
    { align: ['left', 'right', 'right', 'right', 'right', 'right'] },
  );
  const training = `Training a ${vocabSize}-token vocabulary on Moby Dick (cl100k pre-split): ${trainSeconds('ours').toFixed(2)} s incremental, ${trainSeconds('naive').toFixed(1)} s recounting every merge (${(trainSeconds('naive') / trainSeconds('ours')).toFixed(0)}× faster, the same merges).`;
  const chart = await groupedBarChartSvg({
    title: 'Encoding Moby Dick (1.2 MB), MB/s',
    category: 'encoding',
    value: { label: 'MB/s' },
    bars: ENCODINGS.flatMap((e) =>
      ['ours', 'gpt-tokenizer', 'js-tiktoken'].map((impl) => ({
        category: e.case,
        series: impl,
        value: mbps(e.case, impl),
      })),
    ),
  });
  const ppl = (order: number, impl: string) => resultValue(results, `ngram-${order}`, impl, 'perplexity');
  const lm = markdownTable(
    ['n', 'interpolated Kneser–Ney', 'add-k (k = 0.01)'],
    Array.from({ length: orders }, (_, i) => [
      String(i + 1),
      ppl(i + 1, 'kneser-ney').toFixed(1),
      ppl(i + 1, 'add-k').toFixed(1),
    ]),
    { align: ['right', 'right', 'right'] },
  );
  commitBenchRun(fileURLToPath(new URL('..', import.meta.url)), run, {
    charts: {
      'encode-throughput.svg': chart,
      'char-lstm-training.svg': await charLstmChart(),
      'word-vectors-pca.svg': await wordVectorChart(),
    },
    markdown: `${table}\n\n${training}\n\n${sentimentTable()}\n\n${charLstmSection()}\n\n${wordVectorSection()}\n\nWord n-gram perplexity on held-out text, chapters 118–135 and the epilogue (trained on the front matter and chapters 1–117; words seen once are \`<unk>\`):\n\n${lm}`,
  });
  console.log(
    `\nrun ${run.run}: wrote bench/results.json, charts/encode-throughput.svg, charts/char-lstm-training.svg, charts/word-vectors-pca.svg and the README's results table`,
  );
}

/** The README's classifier table: pooled accuracy and macro-F1 over the ten held-out folds. */
function sentimentTable(): string {
  const cell = (impl: string, metric: string) =>
    `${resultValue(results, 'sentiment-10fold', impl, metric).toFixed(2)}%`;
  const row = (label: string, impl: string) => [label, cell(impl, 'accuracy'), cell(impl, 'macro_f1')];
  return `Sentiment of the 3,000 labelled sentences (IMDb, Amazon, Yelp), stratified 10-fold cross-validation, the same folds and words for every classifier:\n\n${markdownTable(
    ['classifier', 'accuracy', 'macro-F1'],
    [
      row('ours: multinomial naive Bayes (Laplace)', 'ours-nb'),
      row('wink-naive-bayes-text-classifier', 'wink-nb'),
      ...LOGISTIC_C.map((C) => row(`ours: TF-IDF + logistic regression, C = ${C}`, `ours-tfidf-lr-c${C}`)),
    ],
    { align: ['left', 'right', 'right'] },
  )}`;
}

/** The README's paragraph on the character LSTM: the recipe, throughput beside tfjs, validation loss, samples. */
function charLstmSection(): string {
  const r = lmRecipe;
  const perSecond = (impl: string) => resultValue(results, 'char-lstm-train', impl, 'chars_per_s');
  const samples = lmSamples
    .map((s) => `Temperature ${s.temperature}:\n\n> ${s.text.replace(/\n+/g, ' ')}`)
    .join('\n\n');
  return [
    `Character LSTM (embedding ${r.embedding}, ${r.layers} × LSTM ${r.hidden}, batch ${r.batch} × window ${r.window}, Adam ${r.lr}, clip ${r.clip}, ${r.steps} steps on chapters 1–117; recipe ${lm.key}): validation loss ${lmValLoss.toFixed(3)} nats/char (${(lmValLoss / Math.LN2).toFixed(3)} bits/char) on chapters 118–135 and the epilogue, after ${lm.history.seconds.toFixed(0)} s of training.`,
    `Training throughput, median of ${lmBlocks.length - lmWarmup} steps after ${lmWarmup} of warm-up on the same blocks: ours ${perSecond('ours').toFixed(0)} chars/s, TensorFlow.js layers on its wasm backend ${perSecond('tfjs-wasm').toFixed(0)} chars/s (${(perSecond('ours') / perSecond('tfjs-wasm')).toFixed(2)}×).`,
    samples,
  ].join('\n\n');
}

/** Training loss per step (a 25-step moving mean) and validation loss, nats/char. */
function charLstmChart(): Promise<string> {
  const train = lm.history.train;
  const smooth = train.map((_, i) => {
    const from = Math.max(0, i - 24);
    const window = train.slice(from, i + 1);
    return { x: i + 1, y: window.reduce((a, b) => a + b, 0) / window.length };
  });
  return lineChartSvg({
    title: 'Character LSTM on Moby Dick: loss (nats/char)',
    x: { label: 'step', format: 'd' },
    y: { label: 'nats/char' },
    series: [
      { name: 'train (25-step mean)', points: smooth },
      { name: 'validation', points: lm.history.val.map((v) => ({ x: v.step, y: v.loss })) },
    ],
  });
}

/** The README's word2vec tables: nearest neighbours and the analogy checks. */
function wordVectorSection(): string {
  const o = MOBY_WORD2VEC;
  const neighbours = markdownTable(
    ['word', 'nearest by cosine similarity'],
    w2v.neighbours.map((n) => [
      n.word,
      n.nearest.map((x) => `${x.word} (${x.similarity.toFixed(2)})`).join(', '),
    ]),
    { align: ['left', 'left'] },
  );
  const analogies = markdownTable(
    ['a : b :: c : ?', 'expected', 'top three', 'rank of expected'],
    w2v.analogies.map((a) => [
      `${a.question[0]} : ${a.question[1]} :: ${a.question[2]} : ?`,
      a.expected,
      a.top.join(', '),
      a.rank === null ? 'not in top 20' : String(a.rank),
    ]),
    { align: ['left', 'left', 'left', 'right'] },
  );
  return `word2vec skip-gram with negative sampling on the whole book (${w2v.vectors.words.length.toLocaleString('en-US')} words seen ${o.minCount}+ times; dim ${o.dim}, window ${o.window}, ${o.negative} noise words, t = ${o.sample}, ${o.epochs} epochs, ${w2v.pairs.toLocaleString('en-US')} pairs): ${w2v.seconds.toFixed(0)} s to train, one thread; loss per pair by epoch ${w2v.epochLoss.map((l) => l.toFixed(3)).join(', ')}.\n\n${neighbours}\n\n${analogies}`;
}

/** The projection chart: chosen words by group on the plane of the first two principal components. */
function wordVectorChart(): Promise<string> {
  const chosen = Object.entries(PROJECTION_GROUPS).flatMap(([group, words]) =>
    words.filter((w) => w2v.vectors.has(w)).map((word) => ({ word, group })),
  );
  const { points, explained } = pca2(chosen.map((c) => w2v.vectors.vector(c.word)));
  return scatterChartSvg({
    title: 'Word vectors of Moby Dick, first two principal components',
    x: { label: `PC1 (${(100 * explained[0]).toFixed(0)}% of the chosen words' variance)` },
    y: { label: `PC2 (${(100 * explained[1]).toFixed(0)}%)` },
    points: chosen.map((c, i) => ({ x: points[i]![0], y: points[i]![1], label: c.word, group: c.group })),
  });
}
