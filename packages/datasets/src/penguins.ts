import { join } from 'node:path';
import { DatasetError } from './errors.js';
import { expectCount, finiteNumber, packageDir, readJsonArray } from './files.js';
import type { ClassificationDataset } from './tabular.js';

const CLASSES = ['Adelie', 'Chinstrap', 'Gentoo'] as const;
const FEATURES = ['Beak Length (mm)', 'Beak Depth (mm)', 'Flipper Length (mm)', 'Body Mass (g)'] as const;
const ISLANDS = ['Biscoe', 'Dream', 'Torgersen'];

export interface PenguinsDataset extends ClassificationDataset {
  readonly categories: {
    readonly island: readonly string[];
    readonly sex: readonly ('MALE' | 'FEMALE' | null)[];
  };
  /** Rows of the file left out because a measurement is missing. */
  readonly droppedRows: number;
}

/**
 * Palmer penguins (vega-datasets): 344 birds, of which the 2 without measurements are dropped, leaving 342.
 * Sex stays `null` where the file has none or '.'.
 */
export function loadPenguins(
  file = join(packageDir('vega-datasets'), 'data', 'penguins.json'),
): PenguinsDataset {
  const expected = '344 penguin objects with Species, Island, Sex and 4 measurements';
  const rows = readJsonArray<Record<string, unknown>>('penguins', file, expected, 344);
  const features: number[][] = [];
  const labels: number[] = [];
  const island: string[] = [];
  const sex: ('MALE' | 'FEMALE' | null)[] = [];
  rows.forEach((row: Record<string, unknown>, r) => {
    if (FEATURES.every((f) => row[f] === null || row[f] === undefined)) return;
    features.push(FEATURES.map((f) => finiteNumber('penguins', row[f], `row ${r} ${f}`)));
    const label = CLASSES.indexOf(row.Species as (typeof CLASSES)[number]);
    if (label < 0) {
      throw new DatasetError(
        'penguins',
        `row ${r} Species is ${JSON.stringify(row.Species)}, expected one of ${CLASSES}`,
      );
    }
    if (!ISLANDS.includes(row.Island as string)) {
      throw new DatasetError(
        'penguins',
        `row ${r} Island is ${JSON.stringify(row.Island)}, expected one of ${ISLANDS}`,
      );
    }
    labels.push(label);
    island.push(row.Island as string);
    sex.push(row.Sex === 'MALE' || row.Sex === 'FEMALE' ? row.Sex : null);
  });
  expectCount('penguins', 'rows with measurements', features.length, 342);
  return {
    name: 'penguins',
    featureNames: FEATURES,
    features,
    labels,
    classNames: CLASSES,
    categories: { island, sex },
    droppedRows: rows.length - features.length,
  };
}
