export { type EncodingName, loadEncoding } from './bpe/encodings.js';
export {
  CL100K_PATTERN,
  type EncodeOptions,
  GPT2_PATTERN,
  parseTiktokenRanks,
  Tokenizer,
  type TokenizerSpec,
} from './bpe/tokenizer.js';
export { type Trained, type TrainOptions, trainBpe, trainBpeNaive } from './bpe/train.js';
