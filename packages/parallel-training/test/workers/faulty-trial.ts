/** A trial worker for the pool's fault tests: config.mode is 'ok', 'throw', 'exit' or 'hang'. */
import { serveTrials } from '../../src/search/pool.js';

serveTrials(async (config, epochs, onEpoch) => {
  const scores: number[] = [];
  for (let epoch = 1; epoch <= epochs; epoch++) {
    if (epoch === 2 && config.mode === 'throw') throw new Error('the trial diverged');
    if (epoch === 2 && config.mode === 'exit') process.exit(3);
    if (epoch === 2 && config.mode === 'hang') for (;;) {}
    const score = (config.quality as number) * epoch;
    scores.push(score);
    if (!(await onEpoch(epoch, score))) break;
  }
  return scores;
});
