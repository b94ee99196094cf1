/**
 * Writes iris, penguins and Boston housing as @mle/datasets loads them to one JSON file, the input of
 * scripts/sklearn-reference.py. Run by hand:
 *   pnpm --filter @mle/classic-ml exec tsx --conditions=@mle/source scripts/export-datasets.ts /tmp/classic-ml-data.json
 */
import { writeFileSync } from 'node:fs';
import { loadBostonHousing, loadIris, loadPenguins } from '@mle/datasets';

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
  }),
);
console.log(`wrote ${out}`);
