// @mle/autograd/charts: charts of training runs (they need @mle/report's chart renderer, which the library does not).
import { lineChartSvg } from '@mle/report';
import type { EpochRecord } from './train.js';

/** Error (1 − accuracy) per epoch, train against dev, as an SVG document; the history must have accuracy. */
export async function learningCurveSvg(history: readonly EpochRecord[], title: string): Promise<string> {
  if (!history.some((r) => r.train.accuracy !== undefined))
    throw new Error(
      'learningCurveSvg: the history has no accuracy (a learning curve of error needs a classifier)',
    );
  const series = (name: string, pick: (r: EpochRecord) => number | undefined) => ({
    name,
    points: history.flatMap((r) => {
      const y = pick(r);
      return y === undefined ? [] : [{ x: r.epoch, y }];
    }),
  });
  const error = (a: number | undefined) => (a === undefined ? undefined : 100 * (1 - a));
  const lines = [
    series('train error %', (r) => error(r.train.accuracy)),
    series('dev error %', (r) => error(r.dev?.accuracy)),
  ].filter((s) => s.points.length > 0);
  return lineChartSvg({
    title,
    x: { label: 'epoch', format: 'd' },
    y: { label: 'error (%)', log: true },
    series: lines,
  });
}
