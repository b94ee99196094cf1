export { checkSampler, type SamplerSettings, sampleToken, stopSequences } from './sampling.js';
