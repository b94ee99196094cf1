import { describe, expect, it } from 'vitest';
import {
  bestOf,
  gridConfigs,
  gridSearch,
  hyperband,
  hyperbandBrackets,
  inlineExecutor,
  MNIST_SPACE,
  randomSearch,
  runSearch,
  type Space,
  tpe,
  workerExecutor,
} from '../src/index.js';

// A synthetic objective: quality peaks at lr = 1e-2 and width 64, and the score approaches it as epochs go on.
const SPACE: Space = {
  lr: { kind: 'float', low: 1e-5, high: 1, log: true },
  width: { kind: 'int', low: 8, high: 512, log: true },
  act: { kind: 'choice', values: ['relu', 'tanh'] },
};
const quality = (c: Record<string, number | string>) =>
  1 -
  (Math.log10(c.lr as number) + 2) ** 2 / 25 -
  (Math.log2(c.width as number) - 6) ** 2 / 36 -
  (c.act === 'tanh' ? 0.05 : 0);
const objective = (c: Record<string, number | string>, epoch: number) =>
  quality(c) * (1 - Math.exp(-epoch / 2));

describe('search spaces', () => {
  it('a grid has every combination, log axes spaced in log, int axes rounded and deduplicated', () => {
    const grid = gridConfigs(SPACE, 3);
    expect(grid).toHaveLength(3 * 3 * 2);
    expect([...new Set(grid.map((c) => c.lr))]).toEqual([
      1e-5,
      Math.exp((Math.log(1e-5) + Math.log(1)) / 2),
      1,
    ]);
    expect([...new Set(grid.map((c) => c.width))]).toEqual([8, 64, 512]);
    expect(gridConfigs({ k: { kind: 'int', low: 1, high: 2 } }, 5).map((c) => c.k)).toEqual([1, 2]);
  });

  it('refuses a malformed space, naming the parameter', () => {
    expect(() =>
      randomSearch({ lr: { kind: 'float', low: 0, high: 1, log: true } }, { trials: 1, epochs: 1, seed: 1 }),
    ).toThrow('parameter "lr": a log range must be positive, got low 0');
    expect(() => gridSearch({ n: { kind: 'int', low: 1.5, high: 4 } }, { points: 2, epochs: 1 })).toThrow(
      'parameter "n": an int range needs whole bounds',
    );
    expect(() => gridSearch({}, { points: 2, epochs: 1 })).toThrow('at least one parameter');
  });
});

describe('Hyperband', () => {
  it('has the brackets of Li et al. (2018), Table 1 (R = 81, η = 3)', () => {
    expect(hyperbandBrackets(81, 3).map((b) => b.rungs.map(({ n, r }) => [n, r]))).toEqual([
      [
        [81, 1],
        [27, 3],
        [9, 9],
        [3, 27],
        [1, 81],
      ],
      [
        [34, 3],
        [11, 9],
        [3, 27],
        [1, 81],
      ],
      [
        [15, 9],
        [5, 27],
        [1, 81],
      ],
      [
        [8, 27],
        [2, 81],
      ],
      [[5, 81]],
    ]);
  });

  it('promotes each rung’s best 1/η and trains exactly Σ n·r epochs', async () => {
    const result = await runSearch(
      hyperband(SPACE, { maxEpochs: 9, eta: 3, seed: 1 }),
      inlineExecutor(objective),
      {
        concurrency: 3,
      },
    );
    const brackets = hyperbandBrackets(9, 3);
    expect(result.totalEpochs).toBe(brackets.flatMap((b) => b.rungs).reduce((s, { n, r }) => s + n * r, 0));
    // In every bracket, each promoted configuration was among its rung's best.
    for (const b of brackets)
      for (let i = 0; i + 1 < b.rungs.length; i++) {
        const rung = result.outcomes.filter((o) => o.tag === `bracket s=${b.s}, rung ${i}`);
        const next = result.outcomes.filter((o) => o.tag === `bracket s=${b.s}, rung ${i + 1}`);
        expect(rung).toHaveLength(b.rungs[i]!.n);
        expect(next).toHaveLength(b.rungs[i + 1]!.n);
        const cutoff = [...rung].map(bestOf).sort((x, y) => y - x)[next.length - 1]!;
        for (const o of next)
          expect(bestOf(rung.find((r) => r.config === o.config)!)).toBeGreaterThanOrEqual(cutoff);
      }
  });
});

describe('the runner', () => {
  it('keeps at most `concurrency` trials running and records every outcome', async () => {
    let running = 0;
    let most = 0;
    const executor = {
      async run(request: { epochs: number }) {
        running++;
        most = Math.max(most, running);
        await new Promise((r) => setTimeout(r, 5));
        running--;
        return { scores: Array(request.epochs).fill(0.5), status: 'completed' as const };
      },
    };
    const result = await runSearch(randomSearch(SPACE, { trials: 10, epochs: 2, seed: 1 }), executor, {
      concurrency: 3,
    });
    expect(most).toBe(3);
    expect(result.outcomes).toHaveLength(10);
  });

  it('stops a trial below the median of the others at the same epoch (and never during the grace epochs)', async () => {
    const result = await runSearch(
      randomSearch(SPACE, { trials: 30, epochs: 8, seed: 2 }),
      inlineExecutor(objective),
      {
        concurrency: 1,
        earlyStopping: { minTrials: 3, grace: 1 },
      },
    );
    expect(result.stopped).toBeGreaterThan(5);
    for (const o of result.outcomes.filter((x) => x.status === 'stopped'))
      expect(o.scores.length).toBeGreaterThanOrEqual(2);
    expect(result.totalEpochs).toBeLessThan(30 * 8);
    // The best configuration is never one that was stopped: it is above the median everywhere.
    expect(result.outcomes.find((o) => o.id === result.best!.id)!.status).toBe('completed');
  });

  it('records a trial that throws as failed and goes on', async () => {
    const result = await runSearch(
      randomSearch(SPACE, { trials: 6, epochs: 2, seed: 3 }),
      inlineExecutor((c, epoch) => {
        if ((c.width as number) > 64 && epoch === 2) throw new Error('diverged');
        return objective(c, epoch);
      }),
      { concurrency: 2 },
    );
    expect(result.outcomes).toHaveLength(6);
    expect(result.failed).toBeGreaterThan(0);
    expect(result.outcomes.filter((o) => o.status === 'failed').every((o) => o.error === 'diverged')).toBe(
      true,
    );
    expect((result.best!.config.width as number) <= 64).toBe(true);
  });
});

describe('TPE', () => {
  it('finds better configurations than random search with the same trials (5 seeds)', async () => {
    let tpeWins = 0;
    for (let seed = 1; seed <= 5; seed++) {
      const run = async (searcher: Parameters<typeof runSearch>[0]) =>
        (await runSearch(searcher, inlineExecutor(objective), { concurrency: 1 })).best!.score;
      const t = await run(tpe(SPACE, { trials: 30, epochs: 1, seed }));
      const r = await run(randomSearch(SPACE, { trials: 30, epochs: 1, seed }));
      if (t > r) tpeWins++;
    }
    expect(tpeWins).toBeGreaterThanOrEqual(4);
  });

  it('concentrates its proposals where the objective is good', async () => {
    const distance = (c: Record<string, number | string>) => Math.abs(Math.log10(c.lr as number) + 2);
    const late = async (searcher: Parameters<typeof runSearch>[0]) => {
      const { outcomes } = await runSearch(searcher, inlineExecutor(objective), { concurrency: 1 });
      const last = outcomes.slice(-15);
      return last.reduce((s, o) => s + distance(o.config), 0) / last.length;
    };
    expect(await late(tpe(SPACE, { trials: 40, epochs: 1, seed: 1 }))).toBeLessThan(
      0.5 * (await late(randomSearch(SPACE, { trials: 40, epochs: 1, seed: 1 }))),
    );
  });
});

describe('trials in worker threads', () => {
  it('a trial that throws, one whose worker exits, and one that hangs are failed; the others finish; no worker is left', async () => {
    const executor = workerExecutor(new URL('./workers/faulty-trial.ts', import.meta.url), 2, {
      trialTimeoutMs: 3_000,
    });
    const modes = ['ok', 'throw', 'exit', 'hang', 'ok'];
    let next = 0;
    const searcher = {
      name: 'faults',
      earlyStoppable: false,
      ask: () =>
        next < modes.length
          ? { id: next, config: { mode: modes[next++]!, quality: 0.1 * next }, epochs: 3 }
          : ('done' as const),
      tell() {},
    };
    const result = await runSearch(searcher, executor, { concurrency: 2 });
    const byMode = Object.fromEntries(result.outcomes.map((o) => [`${o.config.mode}${o.id}`, o]));
    expect(byMode.throw1!.status).toBe('failed');
    expect(byMode.throw1!.error).toBe('the trial diverged');
    expect(byMode.exit2!.error).toBe('its worker exited with code 3');
    expect(byMode.hang3!.error).toBe('timed out after 3000 ms');
    expect(byMode.ok0!.status).toBe('completed');
    expect(byMode.ok4!.scores).toEqual([0.5, 1, 1.5].map((v) => expect.closeTo(v, 12)));
    expect(result.best!.id).toBe(4);
    expect(executor.liveWorkers()).toBe(0);
  });

  it('an MNIST trial trains the MLP and is deterministic', async () => {
    const executor = workerExecutor(new URL('../src/search/mnist-worker.ts', import.meta.url), 2);
    const config = { lr: 3e-3, hidden: 32, batchSize: 128, dropout: 0 };
    let next = 0;
    const searcher = {
      name: 'twice',
      earlyStoppable: false,
      ask: () => (next < 2 ? { id: next++, config, epochs: 1 } : ('done' as const)),
      tell() {},
    };
    const { outcomes } = await runSearch(searcher, executor, { concurrency: 2 });
    expect(outcomes[0]!.scores[0]).toBeGreaterThan(0.8);
    expect(outcomes[0]!.scores).toEqual(outcomes[1]!.scores);
    expect(Object.keys(MNIST_SPACE)).toEqual(['lr', 'hidden', 'batchSize', 'dropout']);
  });
});
