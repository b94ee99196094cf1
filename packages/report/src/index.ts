export { recipeKey, replaceArtifacts } from './artifacts.js';
export {
  type BenchFlags,
  type BenchReport,
  type BenchResult,
  benchFlags,
  benchLog,
  type Clock,
  type DemoFlags,
  demoFlags,
  measure,
  measureAdaptive,
  median,
  percentile,
  performanceClock,
  printBenchReport,
  resultValue,
  type Timing,
} from './bench.js';
export {
  type Axis,
  type BarChart,
  groupedBarChartSvg,
  type LineChart,
  type LineSeries,
  lineChartSvg,
  type RegionChart,
  regionChartSvg,
  type ScatterChart,
  scatterChartSvg,
} from './charts.js';
export { peakRssMb, rssAfterGc, runGcScript, runWorkspaceScript } from './gc-child.js';
export { escapeHtml } from './html.js';
export { modulesLoadedBy } from './loads.js';
export { type MachineInfo, machineInfo, machineLine, simdFeatures } from './machine.js';
export {
  createProgress,
  type Progress,
  type ProgressFields,
  type ProgressOptions,
  progressEnabled,
} from './progress.js';
export {
  type BenchRecord,
  benchRecord,
  commitBenchRun,
  RECORD_PATH,
  readmeRun,
  stampSvg,
  svgRun,
  withResultsBlock,
} from './record.js';
export {
  type Align,
  type Cell,
  formatNumber,
  formatTable,
  markdownTable,
  sentence,
  type TableOptions,
} from './table.js';
