/**
 * Run: pnpm --filter @mle/gpt demo [-- --quick]
 * The trained character GPT (from `pnpm --filter @mle/gpt train`, cached under artifacts/) continuing a line of
 * Moby Dick with each decoding method, and the length-extrapolation table of the last bench run. Without the trained
 * checkpoint, or with --quick, it trains the seconds-long quick model instead and says so.
 */
import { existsSync, readFileSync } from 'node:fs';
import { stopSequences } from '@mle/decoding';
import { demoFlags, markdownTable, RECORD_PATH } from '@mle/report';
import { beamSearch } from './decoding/beam-search.js';
import { generate, type SamplingOptions } from './decoding/generate.js';
import { parameterCount } from './model/config.js';
import { CHAR_GPT, CHAR_GPT_QUICK, finishedGpt, trainedGpt } from './trained.js';

const { quick } = demoFlags();
const full = quick ? null : finishedGpt(CHAR_GPT);
if (!quick && !full)
  console.log(
    'No trained character GPT in artifacts/ for this code (pnpm --filter @mle/gpt train makes it, about 15 minutes): showing the quick model.\n',
  );
const { model, corpus, state, key } = full ?? trainedGpt(CHAR_GPT_QUICK);
const last = state.history.at(-1)!;
console.log(
  `Character GPT (recipe ${key}): ${parameterCount(model.config).toLocaleString('en-US')} parameters, ${model.config.layers} layers × ${model.config.heads} heads × width ${model.config.width}, ${model.config.positions} positions, context ${model.config.contextLength}; ${state.step} steps, ${(state.seconds / 60).toFixed(1)} min of training; validation loss ${last.valLoss!.toFixed(3)} nats/char on the last 10% of Moby Dick.\n`,
);

const prompt = 'Call me Ishmael. Some years ago, ';
const ids = Array.from(corpus.encode(prompt));
const length = quick ? 60 : 200;
const methods: [string, SamplingOptions][] = [
  ['greedy', { maxTokens: length, temperature: 0 }],
  ['temperature 0.8', { maxTokens: length, temperature: 0.8, seed: 1 }],
  ['top-k 10', { maxTokens: length, topK: 10, seed: 1 }],
  ['top-p 0.9', { maxTokens: length, topP: 0.9, seed: 1 }],
  ['greedy, repetition penalty 1.3', { maxTokens: length, temperature: 0, repetitionPenalty: 1.3 }],
  [
    'temperature 0.8, stop sequences "." ";" "!" "?"',
    {
      maxTokens: length,
      temperature: 0.8,
      seed: 2,
      stop: stopSequences((t) => corpus.decode(t), ['.', ';', '!', '?']).stop,
    },
  ],
];
const oneLine = (text: string) => text.replace(/\s+/g, ' ');
for (const [name, options] of methods) {
  const { tokens, finishReason } = generate(model, ids, options);
  console.log(
    `${name} (${tokens.length} chars, ended by ${finishReason}):\n  ${oneLine(prompt + corpus.decode(tokens))}\n`,
  );
}
const beams = beamSearch(model, ids, { beams: 4, maxTokens: quick ? 20 : 40, returnBeams: 3 });
console.log('beam search, 4 beams, the 3 best (score = log P / length):');
for (const h of beams) console.log(`  ${h.score.toFixed(3)}  ${oneLine(prompt + corpus.decode(h.tokens))}`);

// The table the last full bench run recorded: its models take minutes to train, too long for a demo.
const recordFile = new URL(`../${RECORD_PATH}`, import.meta.url);
if (!existsSync(recordFile)) {
  console.log(
    '\nNo bench run recorded yet (pnpm --filter @mle/gpt bench writes the length-extrapolation table).',
  );
  process.exit(0);
}
const record = JSON.parse(readFileSync(recordFile, 'utf8')) as {
  run: string;
  results: { case: string; impl: string; value: number }[];
};
const loss = (length: number, positions: string) =>
  record.results.find((r) => r.case === `extrapolate-${length}` && r.impl === positions)?.value;
console.log(
  `\nLength extrapolation (bench run ${record.run}): trained on windows of 128, validation loss in nats/char`,
);
console.log(
  markdownTable(
    ['positions', 'windows of 128', 'windows of 256'],
    ['learned', 'rope', 'alibi'].map((p) => [
      p,
      loss(128, p)?.toFixed(3) ?? '–',
      loss(256, p)?.toFixed(3) ?? 'cannot run',
    ]),
    { align: ['left', 'right', 'right'] },
  ),
);
