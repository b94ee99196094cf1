import type { Rng } from '@mle/tensor';

/** One hyperparameter's range. log: sampled uniformly in log space (learning rates, widths). */
export type Param =
  | { kind: 'float'; low: number; high: number; log?: boolean }
  | { kind: 'int'; low: number; high: number; log?: boolean }
  | { kind: 'choice'; values: readonly (number | string)[] };

export type Space = Readonly<Record<string, Param>>;
export type Config = Record<string, number | string>;

/** Checks a space, naming the parameter and what was wrong. */
export function checkSpace(space: Space): void {
  const names = Object.keys(space);
  if (names.length === 0) throw new Error('a search space needs at least one parameter');
  for (const name of names) {
    const p = space[name]!;
    if (p.kind === 'choice') {
      if (p.values.length === 0) throw new Error(`parameter "${name}": a choice needs at least one value`);
      continue;
    }
    if (!(Number.isFinite(p.low) && Number.isFinite(p.high) && p.low < p.high))
      throw new RangeError(`parameter "${name}": needs finite low < high, got [${p.low}, ${p.high}]`);
    if (p.log && p.low <= 0)
      throw new RangeError(`parameter "${name}": a log range must be positive, got low ${p.low}`);
    if (p.kind === 'int' && !(Number.isInteger(p.low) && Number.isInteger(p.high)))
      throw new RangeError(`parameter "${name}": an int range needs whole bounds, got [${p.low}, ${p.high}]`);
  }
}

/** Maps u ∈ [0, 1] to the parameter's value (the inverse of `toUnit`). */
export function fromUnit(p: Param, u: number): number | string {
  if (p.kind === 'choice') return p.values[Math.min(p.values.length - 1, Math.floor(u * p.values.length))]!;
  if (u <= 0) return p.low;
  if (u >= 1) return p.high;
  const value = p.log
    ? Math.exp(Math.log(p.low) + u * (Math.log(p.high) - Math.log(p.low)))
    : p.low + u * (p.high - p.low);
  return p.kind === 'int' ? Math.min(p.high, Math.max(p.low, Math.round(value))) : value;
}

/** Where a value sits in [0, 1] (a choice: the centre of its slot). */
export function toUnit(p: Param, value: number | string): number {
  if (p.kind === 'choice') return (p.values.indexOf(value) + 0.5) / p.values.length;
  const v = value as number;
  return p.log
    ? (Math.log(v) - Math.log(p.low)) / (Math.log(p.high) - Math.log(p.low))
    : (v - p.low) / (p.high - p.low);
}

export function sampleConfig(space: Space, rng: Rng): Config {
  return Object.fromEntries(Object.entries(space).map(([name, p]) => [name, fromUnit(p, rng.nextFloat())]));
}

/**
 * The cartesian grid: `points` values per numeric parameter, evenly spaced (in log space where log) from low to high
 * inclusive (an int range's distinct rounded values), and every value of a choice.
 */
export function gridConfigs(space: Space, points: number): Config[] {
  const axes = Object.entries(space).map(([name, p]) => {
    const values =
      p.kind === 'choice'
        ? [...p.values]
        : [
            ...new Set(
              Array.from({ length: points }, (_, i) => fromUnit(p, points === 1 ? 0.5 : i / (points - 1))),
            ),
          ];
    return { name, values };
  });
  return axes.reduce<Config[]>(
    (configs, { name, values }) => configs.flatMap((c) => values.map((v) => ({ ...c, [name]: v }))),
    [{}],
  );
}
