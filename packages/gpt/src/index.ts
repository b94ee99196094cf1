export {
  checkConfig,
  type GptConfig,
  POSITION_SCHEMES,
  type PositionScheme,
  parameterCount,
} from './config.js';
export { KvCache, type LayerCache } from './kv-cache.js';
export { Block, CausalSelfAttention, GPT, MLP } from './model.js';
export { alibiBias, alibiSlopes, applyRotary } from './positions.js';
