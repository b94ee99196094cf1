/**
 * Run: pnpm --filter @mle/gpt bench [-- --json] [-- --quick]
 * Training throughput beside the same model in TensorFlow.js (wasm), generation with the KV cache against
 * recomputation, the trained character and BPE models' validation loss, and the length-extrapolation table. Trained
 * models come from artifacts/ when a run of the same recipe and code saved them (else they are trained here).
 */
import { fileURLToPath } from 'node:url';
import { manualSeed } from '@mle/autograd';
import {
  type BenchResult,
  benchFlags,
  benchLog,
  benchRecord,
  commitBenchRun,
  lineChartSvg,
  markdownTable,
  median,
  printBenchReport,
  resultValue,
} from '@mle/report';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { CausalLm } from '@mle/onnx-runtime';
import { onnxGreedy } from '../src/deploy/onnx-generate.js';
import { DEPLOY_VARIANTS, deployVariants, onnxValidationLoss } from '../src/deploy/variants.js';
import {
  BPE_GPT,
  batchAt,
  CHAR_GPT,
  CHAR_GPT_LONG,
  CHAR_GPT_QUICK,
  charCorpus,
  EXTRAPOLATION,
  evaluateLoss,
  finishedGpt,
  GPT,
  type GptRecipe,
  generate,
  optimizersFor,
  POSITION_SCHEMES,
  parameterCount,
  trainedGpt,
  trainStep,
} from '../src/index.js';
import { tfjsTrainSteps } from './tfjs-train.js';

const { json, quick } = benchFlags();
const log = benchLog({ json });
const results: BenchResult[] = [];
const record = (r: BenchResult) => results.push(r);
/** The quick run: the same code at a size that takes seconds. */
const shrink = (recipe: GptRecipe): GptRecipe =>
  quick
    ? {
        ...recipe,
        name: `${recipe.name}-quick`,
        model: { ...recipe.model, layers: 1, width: 32, heads: 2 },
        train: { ...recipe.train, steps: 20, evalEvery: 10, evalWindows: 8, batchSize: 4 },
      }
    : recipe;

const recipe = quick ? CHAR_GPT_QUICK : CHAR_GPT;
const corpus = charCorpus();

// Training throughput: the same initial weights and the same batches, one optimizer step each.
{
  const steps = quick ? 4 : 10;
  const warmup = 2;
  const fresh = () => {
    manualSeed(0);
    return new GPT({ ...recipe.model, vocabSize: corpus.vocabSize });
  };
  const ours = fresh();
  const optimizers = optimizersFor(ours, recipe.train);
  const seconds = Array.from({ length: steps }, (_, step) => {
    const started = performance.now();
    trainStep(ours, optimizers, corpus.train, recipe.train, step);
    return (performance.now() - started) / 1000;
  });
  await tf.setBackend('wasm');
  await tf.ready();
  const batches = Array.from({ length: steps }, (_, step) => batchAt(corpus.train, recipe.train, step, 0));
  const theirs = await tfjsTrainSteps(fresh(), batches, recipe.train.learningRate);
  // Why tfjs trains slowly here: backpropagation multiplies by transposed operands, which its wasm matmul takes far
  // more slowly than plain ones. One of the model's products, [tokens, width]·[width, 3·width], both ways.
  const a = tf.randomNormal([tokensPerStep(), recipe.model.width]);
  const b = tf.randomNormal([recipe.model.width, 3 * recipe.model.width]);
  const bT = tf.transpose(b);
  for (const [impl, product] of [
    ['tfjs-wasm a·b', () => tf.matMul(a, b)],
    ['tfjs-wasm a·(bᵀ)ᵀ', () => tf.matMul(a, bT, false, true)],
  ] as const) {
    const times: number[] = [];
    for (let i = 0; i < 7; i++) {
      const started = performance.now();
      const c = product();
      await c.data();
      times.push(performance.now() - started);
      c.dispose();
    }
    record({ case: 'tfjs-matmul', impl, metric: 'ms', value: median(times.slice(2)), unit: 'ms' });
  }
  tf.dispose([a, b, bT]);
  const tokens = tokensPerStep();
  for (const [impl, times] of [
    ['ours-gpt', seconds],
    ['tfjs-wasm', theirs],
  ] as const) {
    record({
      case: 'train-throughput',
      impl,
      metric: 'tokens_per_s',
      value: tokens / median(times.slice(warmup)),
      unit: 'tokens/s',
    });
    log(`training throughput ${impl}: ${(tokens / median(times.slice(warmup))).toFixed(0)} tokens/s`);
  }
  record({
    case: 'train-throughput',
    impl: 'ours-gpt ÷ tfjs-wasm',
    metric: 'ratio',
    value: throughput('ours-gpt') / throughput('tfjs-wasm'),
    unit: 'x',
  });
}

// Generation: 256 new tokens greedily, with the cache and by recomputing the window every step. The model has the
// README model's shape with a context long enough that the window never slides (speed does not depend on weights).
const generated = quick ? 32 : 256;
{
  manualSeed(0);
  const model = new GPT({ ...recipe.model, vocabSize: corpus.vocabSize, contextLength: 512 });
  const prompt = Array.from(corpus.encode('Call me Ishmael. '));
  for (const [impl, cache] of [
    ['kv-cache', true],
    ['recompute', false],
  ] as const) {
    const times = Array.from({ length: 3 }, () => {
      const started = performance.now();
      generate(model, prompt, { maxTokens: generated, temperature: 0, cache });
      return (performance.now() - started) / 1000;
    });
    record({
      case: `generate-${generated}`,
      impl,
      metric: 'tokens_per_s',
      value: generated / median(times),
      unit: 'tokens/s',
    });
    log(`generating ${generated} tokens, ${impl}: ${(generated / median(times)).toFixed(1)} tokens/s`);
  }
  record({
    case: `generate-${generated}`,
    impl: 'kv-cache ÷ recompute',
    metric: 'ratio',
    value:
      resultValue(results, `generate-${generated}`, 'kv-cache', 'tokens_per_s') /
      resultValue(results, `generate-${generated}`, 'recompute', 'tokens_per_s'),
    unit: 'x',
  });
}

// The trained models.
const char = trainedGpt(recipe, { log, progress: !json });
const charVal = char.state.history.at(-1)!.valLoss!;
record({
  case: 'char-moby-dick',
  impl: 'ours-gpt',
  metric: 'val_loss_nats_per_char',
  value: charVal,
  unit: 'nats/char',
});
record({
  case: 'char-moby-dick',
  impl: 'ours-gpt',
  metric: 'train_minutes',
  value: char.state.seconds / 60,
  unit: 'min',
});
// The long run is not trained by the bench (about 40 minutes): reported when `train -- --long` has made it.
const long = quick ? null : finishedGpt(CHAR_GPT_LONG);
if (long) {
  record({
    case: 'char-moby-dick-long',
    impl: 'ours-gpt',
    metric: 'val_loss_nats_per_char',
    value: long.state.history.at(-1)!.valLoss!,
    unit: 'nats/char',
  });
  record({
    case: 'char-moby-dick-long',
    impl: 'ours-gpt',
    metric: 'train_minutes',
    value: long.state.seconds / 60,
    unit: 'min',
  });
}
const bpe = trainedGpt(shrink(BPE_GPT), { log, progress: !json });
const bpePerChar = (bpe.state.history.at(-1)!.valLoss! * bpe.corpus.val.length) / bpe.corpus.valChars;
record({
  case: 'bpe512-moby-dick',
  impl: 'ours-gpt',
  metric: 'val_loss_nats_per_char',
  value: bpePerChar,
  unit: 'nats/char',
});
record({
  case: 'bpe512-moby-dick',
  impl: 'ours-gpt',
  metric: 'train_minutes',
  value: bpe.state.seconds / 60,
  unit: 'min',
});

// Length extrapolation: trained on windows of 128, scored on windows of 128 and 256 of the validation text.
const extrapolation = POSITION_SCHEMES.map((positions) => {
  const trained = trainedGpt(shrink(EXTRAPOLATION[positions]), { log, progress: !json });
  const train = trained.model.config.contextLength;
  const at = (length: number) =>
    positions === 'learned' && length > train
      ? null
      : evaluateLoss(trained.model, corpus.val, length, quick ? 8 : 64);
  const row = { positions, short: at(train)!, long: at(2 * train) };
  record({
    case: `extrapolate-${train}`,
    impl: positions,
    metric: 'val_loss_nats_per_char',
    value: row.short,
    unit: 'nats/char',
  });
  if (row.long !== null)
    record({
      case: `extrapolate-${2 * train}`,
      impl: positions,
      metric: 'val_loss_nats_per_char',
      value: row.long,
      unit: 'nats/char',
    });
  return { ...row, train };
});

// Deployment: the trained character model exported to ONNX and quantized, each variant scored on the validation
// windows evaluateLoss takes and timed generating greedily in onnxruntime (one thread, batch 1, the KV cache).
const deployWindows = quick ? 8 : recipe.train.evalWindows;
const deployContext = recipe.train.context;
const deployPrompt = Array.from(corpus.encode('Call me Ishmael. '));
const deployTokens = char.model.config.contextLength - deployPrompt.length; // the window never slides
const tsDeployLoss = evaluateLoss(char.model, corpus.val, deployContext, deployWindows);
const tsGreedy = generate(char.model, deployPrompt, { maxTokens: deployTokens, temperature: 0 }).tokens;
const deployed: { variant: string; description: string; matmulBytes: number; sameAsTs: boolean }[] = [];
{
  const variants = deployVariants(char.model);
  const sessions = await Promise.all(variants.map((v) => CausalLm.create(v.bytes)));
  try {
    const outputs: number[][] = variants.map(() => []);
    const times: number[][] = variants.map(() => []);
    // Round-robin: each round times every variant once, so a slow spell of a shared machine falls on all of them.
    for (let round = 0; round < (quick ? 1 : 15); round++) {
      for (const [i, lm] of sessions.entries()) {
        const started = performance.now();
        outputs[i] = await onnxGreedy(lm, deployPrompt, deployTokens);
        times[i]!.push((performance.now() - started) / 1000);
      }
    }
    for (const [i, variant] of variants.entries()) {
      const loss = await onnxValidationLoss(sessions[i]!, corpus.val, deployContext, deployWindows);
      const row = (metric: string, value: number, unit: string) =>
        record({ case: 'gpt-char', impl: variant.variant, metric, value, unit });
      row('weight_bytes', variant.weightBytes, 'B');
      row('val_loss_nats_per_char', loss, 'nats/char');
      row('tokens_per_s', deployTokens / median(times[i]!), 'tokens/s');
      deployed.push({
        variant: variant.variant,
        description: variant.description,
        matmulBytes: variant.matmulWeightBytes,
        sameAsTs: outputs[i]!.every((t, k) => t === tsGreedy[k]),
      });
      log(`${variant.variant}: ${variant.weightBytes} B, validation ${loss.toFixed(4)} nats/char`);
    }
  } finally {
    for (const lm of sessions) await lm.release();
  }
}
record({
  case: 'gpt-char',
  impl: 'ours-gpt (TypeScript)',
  metric: 'val_loss_nats_per_char',
  value: tsDeployLoss,
  unit: 'nats/char',
});

const report = { package: '@mle/gpt', results };
printBenchReport(report, { json });

if (!quick && !json) {
  const run = benchRecord(report);
  const throughputLine = `Training throughput, median of the steps after 2 of warm-up on the same batches from the same initial weights (${parameterCount({ ...recipe.model, vocabSize: corpus.vocabSize }).toLocaleString('en-US')} parameters, batch ${recipe.train.batchSize} × ${recipe.train.context} characters): ours ${throughput('ours-gpt').toFixed(0)} tokens/s, the same model in TensorFlow.js on its wasm backend ${throughput('tfjs-wasm').toFixed(0)} tokens/s (${(throughput('ours-gpt') / throughput('tfjs-wasm')).toFixed(2)}×). One of the model's products in tfjs-wasm, [${tokensPerStep()}, ${recipe.model.width}]·[${recipe.model.width}, ${3 * recipe.model.width}]: ${resultValue(results, 'tfjs-matmul', 'tfjs-wasm a·b', 'ms').toFixed(1)} ms with a plain right operand, ${resultValue(results, 'tfjs-matmul', 'tfjs-wasm a·(bᵀ)ᵀ', 'ms').toFixed(1)} ms with a transposed one, the kind backpropagation multiplies by.`;
  const cacheLine = `Generating ${generated} characters greedily after a 17-character prompt (the same shape, context 512, median of 3): with the KV cache ${resultValue(results, `generate-${generated}`, 'kv-cache', 'tokens_per_s').toFixed(1)} tokens/s, recomputing the window every step ${resultValue(results, `generate-${generated}`, 'recompute', 'tokens_per_s').toFixed(1)} tokens/s (${resultValue(results, `generate-${generated}`, 'kv-cache ÷ recompute', 'ratio').toFixed(2)}×).`;
  const models = markdownTable(
    ['model', 'tokens', 'parameters', 'steps', 'training', 'validation loss'],
    [[char, recipe], ...(long ? [[long, CHAR_GPT_LONG]] : []), [bpe, BPE_GPT]].map(([trained, r]) => {
      const t = trained as typeof char;
      const g = r as GptRecipe;
      const perChar = (t.state.history.at(-1)!.valLoss! * t.corpus.val.length) / t.corpus.valChars;
      return [
        `${g.name} (recipe ${t.key})`,
        t.corpus.name,
        parameterCount(t.model.config).toLocaleString('en-US'),
        String(t.state.step),
        `${(t.state.seconds / 60).toFixed(1)} min`,
        `${perChar.toFixed(3)} nats/char`,
      ];
    }),
    { align: ['left', 'left', 'right', 'right', 'right', 'right'] },
  );
  const lengths = markdownTable(
    ['positions', 'validation loss, windows of 128', 'windows of 256', 'change'],
    extrapolation.map((r) => [
      r.positions,
      r.short.toFixed(3),
      r.long === null ? 'cannot run (no position past 128)' : r.long.toFixed(3),
      r.long === null ? '' : `${r.long - r.short >= 0 ? '+' : ''}${(r.long - r.short).toFixed(3)}`,
    ]),
    { align: ['left', 'right', 'right', 'right'] },
  );
  const chart = await lineChartSvg({
    title: `Character GPT on Moby Dick: loss (nats/char)`,
    x: { label: 'step', format: 'd' },
    y: { label: 'nats/char' },
    series: [
      { name: 'train (25-step mean)', points: smoothed(char.state.history.map((p) => p.trainLoss)) },
      {
        name: 'validation',
        points: char.state.history
          .filter((p) => p.valLoss !== undefined)
          .map((p) => ({ x: p.step, y: p.valLoss! })),
      },
    ],
  });
  const deployValue = (variant: string, metric: string) => resultValue(results, 'gpt-char', variant, metric);
  const deployTable = markdownTable(
    [
      'variant',
      'weights',
      'of float32',
      'MatMul weights',
      'validation loss',
      'change',
      'tokens/s',
      'greedy = TypeScript',
    ],
    DEPLOY_VARIANTS.map((variant) => {
      const d = deployed.find((x) => x.variant === variant)!;
      const bytes = deployValue(variant, 'weight_bytes');
      const loss = deployValue(variant, 'val_loss_nats_per_char');
      const change = loss - deployValue('float32', 'val_loss_nats_per_char');
      return [
        `${variant === 'int4-g32' ? '**int4-g32**' : variant}`,
        `${(bytes / 1024).toFixed(0)} KiB`,
        `${((100 * bytes) / deployValue('float32', 'weight_bytes')).toFixed(1)}%`,
        `${(d.matmulBytes / 1024).toFixed(0)} KiB`,
        `${loss.toFixed(4)} nats/char`,
        variant === 'float32' ? '' : `${change >= 0 ? '+' : ''}${change.toFixed(4)}`,
        deployValue(variant, 'tokens_per_s').toFixed(0),
        d.sameAsTs ? 'yes' : 'no',
      ];
    }),
    { align: ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'left'] },
  );
  const deployLine = `The ${recipe.name} model (recipe ${char.key}) as ONNX, scored through onnxruntime on the ${deployWindows} validation windows of ${deployContext} characters that evaluateLoss takes (the TypeScript model: ${tsDeployLoss.toFixed(4)} nats/char; float32 in onnxruntime differs by ${Math.abs(deployValue('float32', 'val_loss_nats_per_char') - tsDeployLoss).toExponential(1)}), and timed generating ${deployTokens} characters greedily after a ${deployPrompt.length}-character prompt (onnxruntime-node, one thread, batch 1, past keys and values fed back; median of 15 rounds, each timing every variant once). "Weights" counts every initializer (embeddings, norms and rotary tables stay float32); "greedy = TypeScript" says whether the ${deployTokens} tokens equal the TypeScript model's.`;
  commitBenchRun(fileURLToPath(new URL('..', import.meta.url)), run, {
    charts: { 'char-gpt-training.svg': chart },
    markdown: `${models}\n\n${long ? '' : 'The long run (`pnpm --filter @mle/gpt train -- --long`) was not in artifacts/ for this run.\n\n'}Validation loss is on the last 10% of the book (${corpus.valChars.toLocaleString('en-US')} characters, never trained on), per character for both tokenizations.\n\n${throughputLine}\n\n${cacheLine}\n\nLength extrapolation: ${EXTRAPOLATION.rope.model.layers} layers of width ${EXTRAPOLATION.rope.model.width}, ${EXTRAPOLATION.rope.train.steps} steps on windows of 128 characters, scored on 64 windows of each length:\n\n${lengths}\n\n${deployLine}\n\n${deployTable}`,
  });
  console.log(
    `\nrun ${run.run}: wrote bench/results.json, charts/char-gpt-training.svg and the README's results table`,
  );
}

function tokensPerStep(): number {
  return recipe.train.batchSize * recipe.train.context;
}

function throughput(impl: string): number {
  return resultValue(results, 'train-throughput', impl, 'tokens_per_s');
}

function smoothed(values: readonly number[]): { x: number; y: number }[] {
  return values.map((_, i) => {
    const window = values.slice(Math.max(0, i - 24), i + 1);
    return { x: i + 1, y: window.reduce((a, b) => a + b, 0) / window.length };
  });
}
