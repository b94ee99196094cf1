export { type BatcherOptions, DynamicBatcher, type InferRequest } from './batcher.js';
export { type Clock, FakeClock, systemClock } from './clock.js';
export {
  DATATYPE_OF,
  type GenerationConfig,
  isValidModelName,
  type ModelConfig,
  ModelConfigSchema,
  parseModelConfig,
} from './config.js';
export { DeadlineExceeded, Overloaded, ServingError, type ServingErrorCode } from './errors.js';
export {
  type FinishReason,
  type GenerationRequest,
  type GenerationResult,
  GenerationScheduler,
  type LanguageModel,
  SCHEDULINGS,
  type SchedulerOptions,
  type Scheduling,
} from './generation.js';
export {
  type BinSpec,
  type HistogramSet,
  type MonitorOptions,
  type TensorCounts,
  TrafficMonitor,
  type TrafficStats,
} from './monitor.js';
export {
  type Generator,
  type LanguageModelFactory,
  ModelRepository,
  type ModelStatus,
  type RepositoryOptions,
  type RuntimeFactory,
  type ServedModel,
} from './repository.js';
export {
  ARRAY_OF,
  type Datatype,
  elementCount,
  type ModelRuntime,
  type ModelSignature,
  type NamedTensor,
  type TensorSpec,
  type TensorValues,
} from './runtime.js';
export { CharacterTokenizer, type Tokenizer } from './tokenizer.js';
