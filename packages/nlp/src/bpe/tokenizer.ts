import { byteStringOf, bytesOf, utf8ByteString } from './bytes.js';
import { bytePairEncode, type RankMap } from './merge.js';

export interface TokenizerSpec {
  /** Every token's rank (its id), keyed by its byte string; all 256 single bytes must be there. */
  ranks: RankMap;
  /** The pre-split pattern: text is cut into pieces with it before BPE, and no token crosses a piece. */
  pattern: string;
  /** Special tokens, by text, and their ids (outside the ranks). */
  specialTokens?: Record<string, number>;
  name?: string;
}

export interface EncodeOptions {
  /**
   * Special tokens that may appear in the text and are encoded as themselves: 'all' or a list. None by default, so
   * text from a user cannot inject `<|endoftext|>`: a disallowed special token in the text is an error (as
   * tiktoken), and one merely not allowed would otherwise be encoded as ordinary text.
   */
  allowedSpecial?: 'all' | readonly string[];
}

/** GPT-2's pre-split pattern (r50k_base). */
export const GPT2_PATTERN = String.raw`'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`;
/**
 * cl100k_base's pattern: contractions in any case (spelled out: JavaScript has no inline `(?i:)`), a letter run with
 * one leading non-letter, digits in runs of at most three, newlines kept with the punctuation before them.
 */
export const CL100K_PATTERN = String.raw`('s|'S|'t|'T|'re|'rE|'Re|'RE|'ve|'vE|'Ve|'VE|'m|'M|'ll|'lL|'Ll|'LL|'d|'D)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`;

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A byte-level BPE tokenizer in tiktoken's model: text is pre-split by a regular expression, each piece's UTF-8
 * bytes are merged pair by pair in rank order, and special tokens are matched before any of that, only when allowed.
 */
export class Tokenizer {
  readonly name: string;
  readonly pattern: string;
  readonly specialTokens: Readonly<Record<string, number>>;
  private readonly ranks: RankMap;
  private readonly splitter: RegExp;
  private readonly specialFinder: RegExp | undefined;
  /** Bytes of each id (ranks and special tokens), for decoding. */
  private readonly bytesById = new Map<number, Uint8Array>();

  constructor(spec: TokenizerSpec) {
    this.name = spec.name ?? 'bpe';
    this.pattern = spec.pattern;
    this.ranks = spec.ranks;
    this.specialTokens = { ...spec.specialTokens };
    for (let b = 0; b < 256; b++)
      if (!this.ranks.has(String.fromCharCode(b)))
        throw new Error(`Tokenizer ${this.name}: byte ${b} has no rank (a byte-level BPE needs all 256)`);
    this.splitter = new RegExp(spec.pattern, 'gu');
    const specials = Object.keys(this.specialTokens);
    this.specialFinder =
      specials.length > 0 ? new RegExp(specials.map(escapeRegExp).join('|'), 'g') : undefined;
    for (const [bytes, rank] of this.ranks) this.bytesById.set(rank, bytesOf(bytes));
    for (const [text, id] of Object.entries(this.specialTokens)) {
      if (this.bytesById.has(id))
        throw new Error(`Tokenizer ${this.name}: special token ${text} reuses id ${id}`);
      this.bytesById.set(id, new TextEncoder().encode(text));
    }
  }

  /** Number of ids: ranks and special tokens. */
  get vocabSize(): number {
    return this.bytesById.size;
  }

  encode(text: string, options: EncodeOptions = {}): number[] {
    const out: number[] = [];
    const allowed = this.allowedSet(options.allowedSpecial);
    if (!this.specialFinder) {
      this.encodeOrdinary(text, out);
      return out;
    }
    let start = 0;
    for (const match of text.matchAll(this.specialFinder)) {
      const special = match[0];
      if (!allowed.has(special))
        throw new Error(
          `encode: the text contains the special token ${JSON.stringify(special)} at ${match.index}, which is not allowed; ` +
            `pass allowedSpecial: [${JSON.stringify(special)}] (or 'all') to encode it as one token`,
        );
      this.encodeOrdinary(text.slice(start, match.index), out);
      out.push(this.specialTokens[special]!);
      start = match.index + special.length;
    }
    this.encodeOrdinary(text.slice(start), out);
    return out;
  }

  /** Encodes text as ordinary text: special-token strings are split and merged like any other characters. */
  encodeOrdinary(text: string, out: number[] = []): number[] {
    this.splitter.lastIndex = 0;
    for (let m = this.splitter.exec(text); m !== null; m = this.splitter.exec(text))
      bytePairEncode(utf8ByteString(m[0]), this.ranks, out);
    return out;
  }

  /** The bytes of the ids, concatenated; an id that is not in the vocabulary is an error naming it. */
  decodeBytes(ids: readonly number[]): Uint8Array {
    const parts: Uint8Array[] = [];
    let length = 0;
    for (const [i, id] of ids.entries()) {
      const bytes = this.bytesById.get(id);
      if (!bytes)
        throw new RangeError(`decode: id ${id} (at position ${i}) is not in the ${this.name} vocabulary`);
      parts.push(bytes);
      length += bytes.length;
    }
    const out = new Uint8Array(length);
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }

  /** The text of the ids; bytes that are not valid UTF-8 (a token cut inside a character) become U+FFFD, as tiktoken. */
  decode(ids: readonly number[]): string {
    return new TextDecoder('utf-8', { fatal: false }).decode(this.decodeBytes(ids));
  }

  /** The token's bytes as text (U+FFFD where they are not whole characters): for showing pieces. */
  piece(id: number): string {
    return this.decode([id]);
  }

  /** The ranks in tiktoken's file format: one `base64(bytes) rank` line per token, in rank order. */
  toTiktoken(): string {
    return [...this.ranks]
      .sort((a, b) => a[1] - b[1])
      .map(([bytes, rank]) => `${Buffer.from(bytesOf(bytes)).toString('base64')} ${rank}`)
      .join('\n')
      .concat('\n');
  }

  private allowedSet(allowed: EncodeOptions['allowedSpecial']): ReadonlySet<string> {
    if (allowed === 'all') return new Set(Object.keys(this.specialTokens));
    const set = new Set(allowed ?? []);
    for (const name of set)
      if (!(name in this.specialTokens))
        throw new Error(
          `encode: ${JSON.stringify(name)} is not a special token of ${this.name} (it has ${Object.keys(this.specialTokens).join(', ') || 'none'})`,
        );
    return set;
  }
}

/** Reads ranks in tiktoken's file format (`base64(bytes) rank` per line), naming the first line that is wrong. */
export function parseTiktokenRanks(text: string): Map<string, number> {
  const ranks = new Map<string, number>();
  for (const [i, line] of text.split('\n').entries()) {
    if (line.trim() === '') continue;
    const [token, rank, ...rest] = line.split(' ');
    const value = Number(rank);
    if (!token || rest.length > 0 || !Number.isInteger(value) || value < 0)
      throw new Error(
        `tiktoken ranks, line ${i + 1}: expected "<base64 bytes> <rank>", got ${JSON.stringify(line)}`,
      );
    ranks.set(byteStringOf(Buffer.from(token, 'base64')), value);
  }
  return ranks;
}
