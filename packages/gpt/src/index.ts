export { type BeamSearchOptions, beamSearch, type Hypothesis } from './beam-search.js';
export {
  checkConfig,
  type GptConfig,
  POSITION_SCHEMES,
  type PositionScheme,
  parameterCount,
} from './config.js';
export { type Generation, generate, type SamplingOptions, sampleToken } from './generate.js';
export { KvCache, type LayerCache } from './kv-cache.js';
export { Block, CausalSelfAttention, GPT, MLP } from './model.js';
export { NextToken } from './next-token.js';
export { alibiBias, alibiSlopes, applyRotary } from './positions.js';
