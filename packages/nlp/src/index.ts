/** The seeded generator word2vec draws from, re-exported from @mle/datasets where it lives. */
export { mulberry32 } from '@mle/datasets';
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
export { LogisticRegression, type LogisticRegressionOptions } from './classic/logistic-regression.js';
export { MultinomialNaiveBayes } from './classic/naive-bayes.js';
export { BOS, EOS, NgramModel, type NgramOptions, type Smoothing, UNK } from './classic/ngram.js';
export { type SparseRows, type TfidfOptions, TfidfVectorizer } from './classic/tfidf.js';
export { normalize, sentences, words } from './classic/words.js';
export {
  CharLm,
  type CharLmConfig,
  type CharLmHistory,
  type CharLmRecipe,
  CharVocabulary,
  charLmFor,
  charLmLoss,
  charLmStep,
  sampleCharLm,
  streamWindows,
  trainCharLm,
} from './sequence/char-lm.js';
export { FusedLSTM, lstmSequence } from './sequence/fused-lstm.js';
export {
  type CellKind,
  GRUCell,
  gru,
  LSTMCell,
  lstm,
  Recurrent,
  RecurrentCell,
  type RecurrentOutput,
  type RecurrentState,
  RNNCell,
  rnn,
  stackTime,
} from './sequence/recurrent.js';
export {
  CHAR_LM_QUICK,
  CHAR_LM_RECIPE,
  charLmData,
  type TrainedCharLm,
  trainedCharLm,
} from './sequence/trained.js';
export {
  ANALOGIES,
  MOBY_WORD2VEC,
  MOBY_WORD2VEC_QUICK,
  type MobyVectors,
  mobyWordVectors,
  PROBE_WORDS,
  PROJECTION_GROUPS,
} from './vectors/moby.js';
export {
  keepProbability,
  pca2,
  sgnsUpdate,
  trainWord2Vec,
  unigramTable,
  type Word2VecOptions,
  type Word2VecResult,
  WordVectors,
} from './vectors/word2vec.js';
