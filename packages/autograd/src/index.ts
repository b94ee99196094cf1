export { type Batch, DataLoader } from './data.js';
export {
  type BiasVariance,
  biasVariance,
  confusionMatrix,
  type Example,
  worstExamples,
} from './diagnostics.js';
export { type GradcheckResult, gradcheck } from './gradcheck.js';
export { type AttentionOptions, scaledDotProductAttention } from './nn/attention.js';
export {
  bceWithLogits,
  type Conv2dOptions,
  conv2d,
  crossEntropy,
  embeddingBag,
  maxPool2d,
  mseLoss,
} from './nn/functional.js';
export {
  fans,
  globalRng,
  kaimingNormal,
  kaimingUniform,
  manualSeed,
  torchDefaultUniform,
  xavierUniform,
} from './nn/init.js';
export { layerNorm } from './nn/layer-norm.js';
export {
  BatchNorm1d,
  BatchNorm2d,
  Conv2d,
  Dropout,
  Embedding,
  Flatten,
  GELU,
  type Init,
  LayerNorm,
  Linear,
  MaxPool2d,
  ReLU,
  Sequential,
  Sigmoid,
  Softmax,
  Tanh,
} from './nn/layers.js';
export { Module, Parameter } from './nn/module.js';
export * from './ops.js';
export { clipGradNorm, Optimizer } from './optim/optimizer.js';
export { Adam, type AdamOptions, AdamW, RMSProp, SGD, SparseAdam } from './optim/optimizers.js';
export { CosineAnnealingLR, LinearWarmup, LRScheduler, StepLR } from './optim/schedules.js';
export { loadStateDict, saveStateDict } from './serialize.js';
export { type BackwardOptions, isGradEnabled, noGrad, Tensor } from './tensor.js';
export {
  accuracy,
  type EpochRecord,
  type Evaluation,
  evaluate,
  type FitOptions,
  type FitResult,
  fit,
  isClassification,
  type LossFn,
  type Metric,
  TrainingError,
} from './train.js';
