/**
 * A reproducible model pipeline: content-addressed, cached steps and the MNIST pipeline built on them, experiment
 * tracking, a gated registry, deployment into the model server's repository, and drift monitoring.
 */
export { type PipelineArgs, parsePipelineArgs, runWithProgress, summaryTable } from './cli.js';
export { openDatabase } from './database.js';
export { type Deployment, deployProduction, deployToRepository, rollback } from './deploy.js';
export {
  kolmogorovSurvival,
  ksFromCounts,
  ksTwoSample,
  type PsiBin,
  psi,
  psiFromCounts,
} from './drift.js';
export {
  DEFAULT_THRESHOLDS,
  type DriftReport,
  type DriftThresholds,
  driftReport,
  type FeatureDrift,
  referenceHistograms,
  subtractHistograms,
} from './drift-job.js';
export {
  type Check,
  type Classifier,
  DEFAULT_GATE,
  type EvalSet,
  type GateConfig,
  type GateReport,
  runGate,
  sessionClassifier,
  shiftImages,
} from './gate.js';
export { canonicalJson, hashFiles, listFiles, sha256 } from './hash.js';
export {
  type MnistPipelineOptions,
  mnistPipeline,
  type Registration,
  readRegistration,
  readTestAccuracy,
  servingConfig,
} from './mnist-pipeline.js';
export { modelsCli } from './models-cli.js';
export {
  type Artifact,
  artifactOf,
  CorruptArtifactError,
  downstreamOf,
  type Json,
  type Manifest,
  type PipelineEvent,
  planPipeline,
  type RunOptions,
  runPipeline,
  type Step,
  type StepContext,
  type StepReport,
  type StepStatus,
  verifyArtifact,
} from './pipeline.js';
export { PostgresTrackingStore } from './postgres.js';
export { ModelRegistry, type ModelVersion, PromotionRefused, type Stage } from './registry.js';
export {
  type Checkpoint,
  fetchStats,
  replayThroughServer,
  sendImages,
  windowDriftOverStream,
} from './replay.js';
export { type ComparisonRow, compareTable, comparisonRows, runsCli } from './runs-cli.js';
export { runsReportHtml } from './runs-report.js';
export { type Detection, detectShifts, SHIFTS, type Shift } from './scenarios.js';
export { loadGenerator, type Sample, type ServerProcess, startModelServer } from './serving.js';
export { brightness, noise, rotate } from './shifts.js';
export {
  type Environment,
  environment,
  gitCommit,
  type RunDetail,
  type RunFilter,
  type RunStart,
  type RunStatus,
  type RunSummary,
  type SqlClient,
  SqliteTrackingStore,
  SqlTrackingStore,
  type Statement,
  type TrackingStore,
} from './tracking.js';
