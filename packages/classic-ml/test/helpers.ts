import { readFileSync } from 'node:fs';
import { Rng } from '@mle/tensor';
import { expect } from 'vitest';

/** n rows of d standard-normal features, seeded. */
export function gaussianRows(n: number, d: number, seed: number): number[][] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => Array.from({ length: d }, () => rng.nextNormal()));
}

export const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
};

/** scikit-learn 1.2.1's fits of the same data: scripts/sklearn-reference.py made this file. */
// biome-ignore lint/suspicious/noExplicitAny: a JSON fixture whose shape each test reads as it needs
export const sklearnReference: Record<string, any> = JSON.parse(
  readFileSync(new URL('fixtures/sklearn-reference.json', import.meta.url), 'utf8'),
);

/** max |a − b| over paired values (the lengths must agree). */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < b.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

/** max |a − b| / max(1, |b|) over paired values. */
export function maxRelativeError(a: ArrayLike<number>, b: readonly number[]): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < b.length; i++)
    worst = Math.max(worst, Math.abs(a[i]! - b[i]!) / Math.max(1, Math.abs(b[i]!)));
  return worst;
}
