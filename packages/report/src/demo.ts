/**
 * The report toolkit on a small, deterministic computation: gradient descent on the quadratic
 * f(x, y) = ½(x² + κy²), whose convergence rate depends on the step size and the condition number κ.
 * Run: pnpm --filter @mle/report demo   (the progress bar shows on a terminal only, never in CI)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createProgress,
  demoFlags,
  formatTable,
  groupedBarChartSvg,
  lineChartSvg,
  markdownTable,
} from './index.js';

// The whole demo takes seconds: --quick is accepted (CI passes it to every demo) and changes nothing.
demoFlags();

const conditions = [1, 10] as const;
// Stable while step < 2/κ (the largest curvature); the slowest direction sets the rate.
const stepSizes = [0.05, 0.1, 0.19, 0.21] as const;
const maxSteps = 400;
const tolerance = 1e-6;
const toleranceText = '1e-6';

/** Loss after each step, starting from (1, 1). Gradient of f is (x, κy). */
function descend(kappa: number, step: number): number[] {
  let x = 1;
  let y = 1;
  const losses: number[] = [];
  for (let t = 0; t < maxSteps; t++) {
    x -= step * x;
    y -= step * kappa * y;
    losses.push(0.5 * (x * x + kappa * y * y));
  }
  return losses;
}

const runs = conditions.flatMap((kappa) =>
  stepSizes.map((step) => ({ kappa, step, losses: descend(kappa, step) })),
);
const progress = createProgress({ total: runs.length, label: 'runs' });
const rows = runs.map((run) => {
  progress.increment(1, { kappa: run.kappa, step: run.step });
  const reached = run.losses.findIndex((loss) => loss < tolerance);
  return { ...run, steps: reached < 0 ? null : reached + 1 };
});
progress.stop();

const header = ['κ', 'step size', `steps to loss < ${toleranceText}`, 'loss after 50 steps'];
const cells = rows.map((r) => [r.kappa, r.step, r.steps ?? `> ${maxSteps}`, r.losses[49]!.toExponential(2)]);
console.log(formatTable(header, cells));
console.log(`\nThe same table as Markdown:\n\n${markdownTable(header, cells)}\n`);

const charts = join(dirname(fileURLToPath(import.meta.url)), '..', 'charts');
mkdirSync(charts, { recursive: true });
writeFileSync(
  join(charts, 'gradient-descent-loss.svg'),
  await lineChartSvg({
    title: 'Gradient descent on ½(x² + 10y²)',
    x: { label: 'step' },
    y: { label: 'loss', log: true },
    series: rows
      .filter((r) => r.kappa === 10)
      .map((r) => ({
        name: `step ${r.step}`,
        points: r.losses.slice(0, 100).map((y, i) => ({ x: i + 1, y })),
      })),
  }),
);
writeFileSync(
  join(charts, 'gradient-descent-steps.svg'),
  await groupedBarChartSvg({
    title: `Steps to reach loss < ${toleranceText} (${maxSteps} = never)`,
    category: 'condition number κ',
    value: { label: 'steps' },
    bars: rows.map((r) => ({
      category: `κ = ${r.kappa}`,
      series: `step ${r.step}`,
      value: r.steps ?? maxSteps,
    })),
  }),
);
console.log(`charts written to ${charts}/gradient-descent-loss.svg and gradient-descent-steps.svg`);
