/** The tokenizer alone (`@mle/nlp/bpe`): what a browser page imports, without the models that need Node. */
export { type EncodingName, loadEncoding } from './encodings.js';
export { Tokenizer } from './tokenizer.js';
