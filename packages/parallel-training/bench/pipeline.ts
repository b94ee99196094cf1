/**
 * The pipeline part of `pnpm --filter @mle/parallel-training bench`: the two-stage pipeline's measured bubble for
 * GPipe and 1F1B against (p − 1)/(m + p − 1).
 */
import { type BenchResult, lineChartSvg, markdownTable, median } from '@mle/report';
import { bubbleFormula, runPipeline } from '../src/index.js';

export async function benchPipeline(options: { quick: boolean; runs: number; log: (line: string) => void }) {
  const { quick, runs, log } = options;
  const results: BenchResult[] = [];
  // --- Pipeline parallelism: the measured bubble of two stages against (p − 1)/(m + p − 1) -------------------------
  // Layers chosen so the two stages carry about the same multiply-adds (784·1024 + 1024² against 1024·1792 + 1792·10).
  const PIPE = { layers: [784, 1024, 1024, 1792, 10], batch: 512, seed: 1 };
  const micros = quick ? [1, 4] : [1, 2, 4, 8, 16];
  const bubbles = new Map<string, number>();
  for (const micro of micros)
    for (const schedule of ['gpipe', '1f1b'] as const) {
      const measuredBubbles: number[] = [];
      for (let r = 0; r < runs; r++)
        measuredBubbles.push((await runPipeline({ ...PIPE, schedule, micro })).bubble);
      bubbles.set(`${schedule}/${micro}`, median(measuredBubbles));
      results.push({
        case: `pipeline-2-m${micro}`,
        impl: schedule,
        metric: 'bubble',
        value: median(measuredBubbles),
        unit: 'ratio',
      });
      log(
        `pipeline ${schedule} m=${micro}: bubble ${median(measuredBubbles).toFixed(3)} (formula ${bubbleFormula(2, micro).toFixed(3)})`,
      );
    }

  const render = async () => {
    const bubbleChart = await lineChartSvg({
      title: `Two-stage pipeline, batch ${PIPE.batch}: the bubble against (p − 1)/(m + p − 1) (median of ${runs} runs)`,
      x: { label: 'micro-batches m', log: true, format: 'd' },
      y: { label: 'idle fraction of the step' },
      series: [
        { name: '(p − 1)/(m + p − 1)', points: micros.map((m) => ({ x: m, y: bubbleFormula(2, m) })) },
        { name: 'GPipe, measured', points: micros.map((m) => ({ x: m, y: bubbles.get(`gpipe/${m}`)! })) },
        { name: '1F1B, measured', points: micros.map((m) => ({ x: m, y: bubbles.get(`1f1b/${m}`)! })) },
      ],
      width: 640,
    });
    const bubbleTable = markdownTable(
      ['micro-batches m', '(p − 1)/(m + p − 1)', 'GPipe', '1F1B'],
      micros.map((m) => [
        String(m),
        bubbleFormula(2, m).toFixed(3),
        bubbles.get(`gpipe/${m}`)!.toFixed(3),
        bubbles.get(`1f1b/${m}`)!.toFixed(3),
      ]),
      { align: ['right', 'right', 'right', 'right'] },
    );
    return {
      charts: { 'pipeline-bubble.svg': bubbleChart },
      markdown: [
        `**Pipeline parallelism**: the MLP ${PIPE.layers.join('-')} split into two stages of about equal multiply-adds, one worker thread each (activations forward and gradients back over the shared-memory ring), one step of batch ${PIPE.batch} in m micro-batches; the bubble is each stage's idle share of the span from the first forward to the last backward, averaged over the stages.`,
        bubbleTable,
      ],
    };
  };
  return { results, render };
}
