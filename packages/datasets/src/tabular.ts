import { seededPermutation } from './random.js';

/** Rows of numeric features; row i of every per-row array describes the same example. */
export interface TabularDataset {
  readonly name: string;
  readonly featureNames: readonly string[];
  readonly features: readonly (readonly number[])[];
  /** Per-row categorical columns that are not features (e.g. penguins' island and sex). */
  readonly categories?: Readonly<Record<string, readonly (string | null)[]>>;
}

export interface ClassificationDataset extends TabularDataset {
  /** `labels[i]` indexes `classNames`. */
  readonly labels: readonly number[];
  readonly classNames: readonly string[];
}

export interface RegressionDataset extends TabularDataset {
  readonly target: readonly number[];
  readonly targetName: string;
}

export interface SplitOptions {
  /** Default 0. */
  seed?: number;
  /** Share of rows held out for test, in (0, 1). Default 0.2. */
  testFraction?: number;
  /** Keep each class's share equal in train and test. Default true when the dataset has labels. */
  stratify?: boolean;
}

export interface TrainTestSplit<D extends TabularDataset> {
  readonly train: D;
  readonly test: D;
}

/** Seeded train/test split of any tabular dataset; stratified by class for classification data. */
export function trainTestSplit<D extends TabularDataset>(
  data: D,
  options: SplitOptions = {},
): TrainTestSplit<D> {
  const { seed = 0, testFraction = 0.2 } = options;
  if (!(testFraction > 0 && testFraction < 1)) {
    throw new RangeError(`trainTestSplit: testFraction must be in (0, 1), got ${testFraction}`);
  }
  const labels = 'labels' in data ? (data.labels as readonly number[]) : undefined;
  const stratify = options.stratify ?? labels !== undefined;
  if (stratify && labels === undefined) {
    throw new Error(`trainTestSplit: cannot stratify ${data.name}: it has no class labels`);
  }
  const order = seededPermutation(data.features.length, seed);
  const strata = stratify ? labels! : new Array<number>(data.features.length).fill(0);
  const sizes = new Map<number, number>();
  for (const s of strata) sizes.set(s, (sizes.get(s) ?? 0) + 1);
  const testQuota = new Map([...sizes].map(([s, n]) => [s, Math.round(n * testFraction)]));
  const train: number[] = [];
  const test: number[] = [];
  for (const i of order) {
    const s = strata[i]!;
    const quota = testQuota.get(s)!;
    if (quota > 0) {
      test.push(i);
      testQuota.set(s, quota - 1);
    } else {
      train.push(i);
    }
  }
  return { train: selectRows(data, train), test: selectRows(data, test) };
}

/** A dataset holding only the given rows, in the given order. */
export function selectRows<D extends TabularDataset>(data: D, rows: readonly number[]): D {
  const pick = <T>(column: readonly T[]): T[] => rows.map((i) => column[i]!);
  const subset: Record<string, unknown> = { ...(data as object), features: pick(data.features) };
  if ('labels' in data) subset.labels = pick(data.labels as readonly number[]);
  if ('target' in data) subset.target = pick(data.target as readonly number[]);
  if (data.categories) {
    subset.categories = Object.fromEntries(Object.entries(data.categories).map(([k, v]) => [k, pick(v)]));
  }
  return subset as unknown as D;
}
