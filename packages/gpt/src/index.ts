export { sampleToken, stopSequences } from '@mle/decoding';
export { type BeamSearchOptions, beamSearch, type Hypothesis } from './decoding/beam-search.js';
export { type Generation, generate, type SamplingOptions } from './decoding/generate.js';
export { NextToken } from './decoding/next-token.js';
export { exportGptOnnx, GPT_ONNX, type GptOnnxOptions } from './deploy/export-onnx.js';
export { onnxGreedy } from './deploy/onnx-generate.js';
export { randomGpt } from './deploy/random-weights.js';
export {
  DEPLOY_VARIANTS,
  type DeployedGpt,
  type DeployVariant,
  deployVariants,
  onnxValidationLoss,
} from './deploy/variants.js';
export {
  checkConfig,
  type GptConfig,
  POSITION_SCHEMES,
  type PositionScheme,
  parameterCount,
} from './model/config.js';
export { Block, CausalSelfAttention, GPT, MLP } from './model/gpt.js';
export { KvCache, type LayerCache } from './model/kv-cache.js';
export { alibiBias, alibiSlopes, applyRotary } from './model/positions.js';
export {
  ARTIFACTS,
  BPE_GPT,
  CHAR_GPT,
  CHAR_GPT_LONG,
  CHAR_GPT_QUICK,
  corpusFor,
  EXTRAPOLATION,
  finishedGpt,
  type GptRecipe,
  gptRecipeKey,
  type TrainedGpt,
  trainedGpt,
} from './trained.js';
export { type CheckpointInfo, loadCheckpoint, saveCheckpoint } from './training/checkpoint.js';
export { bpeCorpus, type Corpus, charCorpus, mobyDickSplit } from './training/data.js';
export {
  batchAt,
  evaluateLoss,
  learningRateAt,
  optimizersFor,
  type TrainPoint,
  type TrainRecipe,
  type TrainState,
  trainStep,
} from './training/train.js';
export { type TrainGptOptions, trainGpt } from './training/trainer.js';
