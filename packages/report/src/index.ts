export {
  type BenchReport,
  type BenchResult,
  measure,
  measureAdaptive,
  median,
  printBenchReport,
  type Timing,
} from './bench.js';
export {
  type Axis,
  type BarChart,
  groupedBarChartSvg,
  type LineChart,
  type LineSeries,
  lineChartSvg,
} from './charts.js';
export {
  createProgress,
  type Progress,
  type ProgressFields,
  type ProgressOptions,
  progressEnabled,
} from './progress.js';
export {
  type Align,
  type Cell,
  formatNumber,
  formatTable,
  markdownTable,
  type TableOptions,
} from './table.js';
