/**
 * Writes iris, penguins and Boston housing as @mle/datasets loads them, with the bench's ten folds of each, to one
 * JSON file: the input of scripts/sklearn-reference.py and scripts/sklearn-cv.py. Run by hand:
 *   pnpm --filter @mle/classic-ml exec tsx --conditions=@mle/source scripts/export-datasets.ts /tmp/classic-ml-data.json
 */
import { writeFileSync } from 'node:fs';
import { loadBostonHousing, loadIris, loadPenguins } from '@mle/datasets';
import { datasets, foldsOf } from '../bench/cases.js';

const out = process.argv[2];
if (!out) throw new Error('usage: export-datasets.ts <out.json>');
const iris = loadIris();
const penguins = loadPenguins();
const boston = loadBostonHousing();
writeFileSync(
  out,
  JSON.stringify({
    iris: { X: iris.features, y: iris.labels },
    penguins: { X: penguins.features, y: penguins.labels },
    boston: { X: boston.features, y: boston.target },
    folds: Object.fromEntries(datasets().map((d) => [d.name, foldsOf(d)])),
  }),
);
console.log(`wrote ${out}`);
