import { Rng } from '@mle/tensor';
import { type Config, checkSpace, fromUnit, gridConfigs, type Space, sampleConfig, toUnit } from './space.js';

export interface TrialRequest {
  id: number;
  config: Config;
  /** Epochs to train (from scratch). */
  epochs: number;
  /** Where it belongs, e.g. Hyperband's "bracket 2, rung 1". */
  tag?: string;
}

export interface TrialOutcome {
  id: number;
  config: Config;
  tag?: string;
  /** The dev score after each epoch trained. */
  scores: number[];
  /** completed: all its epochs; stopped: by the early-stopping rule; failed: it threw or its worker died. */
  status: 'completed' | 'stopped' | 'failed';
  error?: string;
}

/** The best score a trial reached (−∞ for a failed or empty one, so it is never chosen). */
export const bestOf = (o: TrialOutcome): number =>
  o.status === 'failed' || o.scores.length === 0 ? Number.NEGATIVE_INFINITY : Math.max(...o.scores);

/**
 * A search strategy, asked for trials and told their outcomes (the ask-and-tell interface of Optuna and Vizier), so
 * one runner can run any of them with a concurrency limit.
 */
export interface Searcher {
  readonly name: string;
  /** Whether the runner's early-stopping rule may stop its trials (Hyperband decides for itself). */
  readonly earlyStoppable: boolean;
  /** The next trial, 'wait' until a running trial is told, or 'done'. */
  ask(): TrialRequest | 'wait' | 'done';
  tell(outcome: TrialOutcome): void;
}

/** Every point of a grid, each for `epochs`. */
export function gridSearch(space: Space, options: { points: number; epochs: number }): Searcher {
  checkSpace(space);
  const configs = gridConfigs(space, options.points);
  let next = 0;
  return {
    name: 'grid',
    earlyStoppable: true,
    ask: () =>
      next < configs.length ? { id: next, config: configs[next++]!, epochs: options.epochs } : 'done',
    tell() {},
  };
}

/** `trials` configurations drawn independently (Bergstra & Bengio 2012), each for `epochs`. */
export function randomSearch(
  space: Space,
  options: { trials: number; epochs: number; seed: number },
): Searcher {
  checkSpace(space);
  const rng = new Rng(options.seed);
  let next = 0;
  return {
    name: 'random',
    earlyStoppable: true,
    ask: () =>
      next < options.trials
        ? { id: next++, config: sampleConfig(space, rng), epochs: options.epochs }
        : 'done',
    tell() {},
  };
}

/** The brackets of Hyperband (Li et al. 2018, Algorithm 1): for each s, rungs of (configurations, epochs). */
export function hyperbandBrackets(
  maxEpochs: number,
  eta: number,
): { s: number; rungs: { n: number; r: number }[] }[] {
  if (!(Number.isInteger(maxEpochs) && maxEpochs >= 1))
    throw new RangeError(`maxEpochs must be ≥ 1, got ${maxEpochs}`);
  if (!(Number.isInteger(eta) && eta >= 2))
    throw new RangeError(`eta must be a whole number ≥ 2, got ${eta}`);
  // s_max = ⌊log_η R⌋, computed without floating-point log (log(81)/log(3) is 3.9999999999999996).
  let sMax = 0;
  while (eta ** (sMax + 1) <= maxEpochs) sMax++;
  const budget = (sMax + 1) * maxEpochs;
  const brackets = [];
  for (let s = sMax; s >= 0; s--) {
    let n = Math.ceil(((budget / maxEpochs) * eta ** s) / (s + 1));
    let r = maxEpochs / eta ** s;
    const rungs = [];
    for (let i = 0; i <= s; i++) {
      rungs.push({ n, r: Math.round(r) });
      n = Math.floor(n / eta);
      r *= eta;
    }
    brackets.push({ s, rungs });
  }
  return brackets;
}

/**
 * Hyperband: successive halving (Jamieson & Talwalkar 2016) run in brackets that trade how many configurations
 * start against how long each first trains; each rung trains its configurations from scratch for r epochs, and the
 * best 1/η go on to the next rung's η·r. A rung waits for all its trials (the synchronous variant).
 */
export function hyperband(space: Space, options: { maxEpochs: number; eta: number; seed: number }): Searcher {
  checkSpace(space);
  const rng = new Rng(options.seed);
  const brackets = hyperbandBrackets(options.maxEpochs, options.eta);
  let b = 0;
  let rung = 0;
  let pending: Config[] = [];
  let running = 0;
  let told: TrialOutcome[] = [];
  let id = 0;
  const startBracket = () => {
    pending = Array.from({ length: brackets[b]!.rungs[0]!.n }, () => sampleConfig(space, rng));
    rung = 0;
    told = [];
  };
  startBracket();
  return {
    name: 'hyperband',
    earlyStoppable: false,
    ask() {
      if (b >= brackets.length) return 'done';
      const bracket = brackets[b]!;
      if (pending.length > 0) {
        running++;
        return {
          id: id++,
          config: pending.shift()!,
          epochs: bracket.rungs[rung]!.r,
          tag: `bracket s=${bracket.s}, rung ${rung}`,
        };
      }
      return 'wait';
    },
    tell(outcome) {
      running--;
      told.push(outcome);
      if (pending.length > 0 || running > 0) return;
      const bracket = brackets[b]!;
      if (rung + 1 < bracket.rungs.length) {
        const keep = bracket.rungs[rung + 1]!.n;
        pending = [...told]
          .sort((x, y) => bestOf(y) - bestOf(x) || x.id - y.id)
          .filter((o) => o.status !== 'failed')
          .slice(0, keep)
          .map((o) => o.config);
        rung++;
        told = [];
      }
      if (pending.length === 0) {
        b++;
        if (b < brackets.length) startBracket();
      }
    },
  };
}

/** Φ, the standard normal CDF (Abramowitz & Stegun 7.1.26 for erf: |error| < 1.5e-7). */
function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) *
      t *
      Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

/**
 * A Parzen estimator on [0, 1]: Gaussians at the points (each truncated to [0, 1] and renormalized) and a uniform
 * prior weighted as one point, with Scott's-rule bandwidth.
 */
function parzen(points: number[]) {
  const sigma = Math.max(0.05, 0.3 * (points.length + 1) ** -0.2);
  const mass = points.map((m) => normalCdf((1 - m) / sigma) - normalCdf(-m / sigma));
  const weight = 1 / (points.length + 1);
  return {
    density(u: number): number {
      let d = weight; // the prior's density on [0, 1] is 1
      points.forEach((m, i) => {
        d += (weight * Math.exp(-0.5 * ((u - m) / sigma) ** 2)) / (sigma * Math.sqrt(2 * Math.PI) * mass[i]!);
      });
      return d;
    },
    sample(rng: Rng): number {
      const k = rng.nextInt(points.length + 1);
      if (k === points.length) return rng.nextFloat();
      for (;;) {
        const u = points[k]! + sigma * rng.nextNormal();
        if (u >= 0 && u <= 1) return u;
      }
    },
  };
}

/**
 * The tree-structured Parzen estimator (Bergstra et al. 2011), per parameter as Optuna's default: after `startup`
 * random trials, the observations are split into the best γ and the rest; each parameter gets a density l for the
 * good and g for the rest (Parzen estimators in the unit interval; a choice gets smoothed counts); the next trial is
 * the best of `candidates` draws from l by l/g, which maximizes expected improvement under the model.
 */
export function tpe(
  space: Space,
  options: {
    trials: number;
    epochs: number;
    seed: number;
    startup?: number;
    gamma?: number;
    candidates?: number;
  },
): Searcher {
  checkSpace(space);
  const { trials, epochs, startup = 8, gamma = 0.25, candidates = 24 } = options;
  const rng = new Rng(options.seed);
  const observed: { config: Config; score: number }[] = [];
  let next = 0;
  const propose = (): Config => {
    const usable = observed.filter((o) => Number.isFinite(o.score));
    if (next < startup || usable.length < 2) return sampleConfig(space, rng);
    const sorted = [...usable].sort((a, b) => b.score - a.score);
    const cut = Math.max(1, Math.ceil(gamma * sorted.length));
    const good = sorted.slice(0, cut);
    const bad = sorted.slice(cut);
    const models = Object.entries(space).map(([name, p]) => {
      if (p.kind === 'choice') {
        const counts = (list: typeof good) =>
          p.values.map(
            (v) => (list.filter((o) => o.config[name] === v).length + 1) / (list.length + p.values.length),
          );
        const l = counts(good);
        const g = counts(bad);
        return {
          name,
          sample: (): number | string => {
            let u = rng.nextFloat();
            for (let i = 0; i < l.length; i++) {
              u -= l[i]!;
              if (u <= 0) return p.values[i]!;
            }
            return p.values.at(-1)!;
          },
          score: (v: number | string) =>
            Math.log(l[p.values.indexOf(v)]!) - Math.log(g[p.values.indexOf(v)]!),
        };
      }
      const l = parzen(good.map((o) => toUnit(p, o.config[name]!)));
      const g = parzen(bad.map((o) => toUnit(p, o.config[name]!)));
      return {
        name,
        sample: () => fromUnit(p, l.sample(rng)),
        score: (v: number | string) => Math.log(l.density(toUnit(p, v))) - Math.log(g.density(toUnit(p, v))),
      };
    });
    let best: Config | undefined;
    let bestScore = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < candidates; c++) {
      const config: Config = Object.fromEntries(models.map((m) => [m.name, m.sample()]));
      const score = models.reduce((sum, m) => sum + m.score(config[m.name]!), 0);
      if (score > bestScore) [best, bestScore] = [config, score];
    }
    return best!;
  };
  return {
    name: 'tpe',
    earlyStoppable: true,
    ask() {
      if (next >= trials) return 'done';
      const config = propose();
      return { id: next++, config, epochs };
    },
    tell(outcome) {
      observed.push({ config: outcome.config, score: bestOf(outcome) });
    },
  };
}
