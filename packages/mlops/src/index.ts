/**
 * A reproducible model pipeline: content-addressed, cached steps and the MNIST pipeline built on them (tracking,
 * registry, deployment and drift monitoring to come).
 */
export { pipelineCli, summaryTable } from './cli.js';
export { openDatabase } from './database.js';
export { kolmogorovSurvival, ksTwoSample, type PsiBin, psi } from './drift.js';
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
export { type MnistPipelineOptions, mnistPipeline } from './mnist-pipeline.js';
export {
  type Artifact,
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
export { ModelRegistry, type ModelVersion, PromotionRefused, type Stage } from './registry.js';
export { compareTable, runsCli } from './runs-cli.js';
export {
  type Environment,
  environment,
  gitCommit,
  type RunDetail,
  type RunFilter,
  type RunStart,
  type RunStatus,
  type RunSummary,
  SqliteTrackingStore,
  type TrackingStore,
} from './tracking.js';
