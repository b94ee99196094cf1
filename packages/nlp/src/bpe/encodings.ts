import { byteStringOf } from './bytes.js';
import { Tokenizer } from './tokenizer.js';

/** The encodings whose ranks ship in npm (js-tiktoken's rank files): GPT-2/GPT-3's, GPT-4's and GPT-4o's. */
export type EncodingName = 'r50k_base' | 'cl100k_base' | 'o200k_base';

interface RankFile {
  pat_str: string;
  special_tokens: Record<string, number>;
  /** Lines of `<label> <first rank> <base64 token> <base64 token> …`, ranks counting up from the first. */
  bpe_ranks: string;
}

const loaders: Record<EncodingName, () => Promise<{ default: RankFile }>> = {
  r50k_base: () => import('js-tiktoken/ranks/r50k_base'),
  cl100k_base: () => import('js-tiktoken/ranks/cl100k_base'),
  o200k_base: () => import('js-tiktoken/ranks/o200k_base'),
};

const cache = new Map<EncodingName, Promise<Tokenizer>>();

/** A real OpenAI encoding, from the rank file js-tiktoken ships (nothing is downloaded); loaded once per process. */
export function loadEncoding(name: EncodingName): Promise<Tokenizer> {
  const load = loaders[name];
  if (!load)
    throw new Error(
      `loadEncoding: unknown encoding ${JSON.stringify(name)} (known: ${Object.keys(loaders).join(', ')})`,
    );
  let tokenizer = cache.get(name);
  if (!tokenizer) {
    tokenizer = load().then(({ default: file }) => fromRankFile(name, file));
    cache.set(name, tokenizer);
  }
  return tokenizer;
}

function fromRankFile(name: string, file: RankFile): Tokenizer {
  const ranks = new Map<string, number>();
  for (const line of file.bpe_ranks.split('\n')) {
    if (line === '') continue;
    const [, first, ...tokens] = line.split(' ');
    const offset = Number(first);
    for (const [i, token] of tokens.entries()) ranks.set(byteStringOf(fromBase64(token)), offset + i);
  }
  return new Tokenizer({ name, ranks, pattern: file.pat_str, specialTokens: file.special_tokens });
}

/** Base64 to bytes with `atob`, which Node and browsers both have (the tokenizer also runs in the portfolio's page). */
function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
