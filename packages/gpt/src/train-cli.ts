/**
 * Run: pnpm --filter @mle/gpt train [-- --quick | --long]. Trains (or resumes, or loads) the README's character GPT
 * (about 15 minutes), the quick one (seconds) or the long one (about 40 minutes).
 */
import { parseArgs } from 'node:util';
import { CHAR_GPT, CHAR_GPT_LONG, CHAR_GPT_QUICK, trainedGpt } from './trained.js';

const { values } = parseArgs({
  options: { quick: { type: 'boolean', default: false }, long: { type: 'boolean', default: false } },
});
if (values.quick && values.long) throw new Error('train: give --quick or --long, not both');
const recipe = values.quick ? CHAR_GPT_QUICK : values.long ? CHAR_GPT_LONG : CHAR_GPT;
const { state, key, corpus } = trainedGpt(recipe, { log: (line) => console.log(line), progress: true });
const last = state.history.at(-1)!;
console.log(
  `${recipe.name} (recipe ${key}): validation ${last.valLoss?.toFixed(3)} nats/char on the last 10% of Moby Dick (${corpus.valChars.toLocaleString('en-US')} characters) after ${state.step} steps, ${(state.seconds / 60).toFixed(1)} minutes of training`,
);
