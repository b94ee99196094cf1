export {
  type BandwidthKernel,
  type BandwidthPoint,
  bandwidthCurve,
  readSum,
  type StridePoint,
  stridedSum,
  strideSweep,
} from './bandwidth.js';
export {
  type Chain,
  cycleLength,
  LINE_BYTES,
  PAGE_BYTES,
  pageLocalChain,
  pagePerLineChain,
  pairChain,
  randomLineChain,
  sattoloCycle,
} from './chains.js';
export { compareWithSystem, formatBytes, type LevelComparison, withinFactor } from './compare.js';
export {
  type ExperimentOptions,
  type Results,
  readSystemCaches,
  reportedCaches,
  runExperiments,
  type SystemCaches,
  type TimedCase,
} from './experiments.js';
export { type FalseSharingResult, falseSharing, falseSharingLineSize } from './false-sharing.js';
export {
  type ByteRange,
  type CacheLevelEstimate,
  detectHierarchy,
  detectLevels,
  type HierarchyEstimate,
  type HierarchyOptions,
  type KneeOptions,
} from './knees.js';
export {
  type ChainLayout,
  chase,
  type LatencyCurves,
  type LatencyOptions,
  type LatencyPoint,
  latencyCurve,
  medianLatency,
  timeChain,
  tlbCurve,
  workingSetSizes,
} from './latency.js';
export {
  columnMeanAos,
  columnMeanSoa,
  type FeatureTable,
  featureTable,
  scoreAos,
  scoreSoa,
  sumColumnMajor,
  sumRowMajor,
} from './layouts.js';
export { detectLineSize, type PairPoint, pairCurve } from './line-size.js';
export {
  CacheInfoUnavailableError,
  dataCaches,
  dataLineBytes,
  parseCacheSize,
  parseLscpuCaches,
  readLscpuCaches,
  readSysfsCaches,
  SYSFS_CACHE_ROOT,
  type SystemCache,
} from './system-caches.js';
export { nsPerUnit, type TimingOptions } from './timing.js';
export { WasmProbe } from './wasm.js';
