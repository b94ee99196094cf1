import { loadMobyDick } from '@mle/datasets';
import fc from 'fast-check';
import { getEncoding } from 'js-tiktoken';
import cl100k from 'js-tiktoken/ranks/cl100k_base';
import r50k from 'js-tiktoken/ranks/r50k_base';
import { describe, expect, it } from 'vitest';
import { CL100K_PATTERN, type EncodingName, GPT2_PATTERN, loadEncoding } from '../src/index.js';

/** The string with each lone surrogate replaced by U+FFFD (String.prototype.toWellFormed, outside ES2023's lib). */
const wellFormed = (s: string) => (s as string & { toWellFormed(): string }).toWellFormed();

const NAMES: EncodingName[] = ['r50k_base', 'cl100k_base', 'o200k_base'];
const reference = Object.fromEntries(NAMES.map((n) => [n, getEncoding(n)]));

describe('the real encodings, id for id against js-tiktoken', () => {
  const book = loadMobyDick().text;
  for (const name of NAMES) {
    it(`${name}: the whole of Moby Dick (1.2 M characters), and back`, async () => {
      const ours = await loadEncoding(name);
      const ids = ours.encode(book);
      expect(ids).toEqual(reference[name]!.encode(book));
      expect(ours.decode(ids)).toBe(book);
    });
  }

  // Pieces a fuzzer would rarely build by chance: scripts, emoji (with joiners and skin tones), combining marks,
  // right-to-left text, lone surrogates, runs of whitespace and digits, contractions in any case.
  const pieces = fc.constantFrom(
    'hello',
    ' world',
    'HeLLo',
    "'s",
    "'LL",
    "'Re",
    "don't",
    "I'M",
    '東京タワー',
    '中文分词',
    '한국어',
    '😀',
    '👩🏽‍🚀',
    '🇫🇷',
    'e\u0301',
    'n\u0303\u0301',
    'שלום',
    'مرحبا',
    '\u202ertl\u202c',
    '\ud800',
    '\udfff',
    'x\udc00y',
    ' ',
    '  ',
    '\t',
    '\n',
    '\r\n',
    '\n\n\n',
    '    \n  ',
    '0',
    '12345678',
    '3.14159',
    '1,000,000',
    '$%&*',
    '...',
    '<|endoftext|',
    '|>',
  );
  const text = fc.oneof(
    fc.array(pieces, { maxLength: 12 }).map((p) => p.join('')),
    fc.string({ unit: 'grapheme', maxLength: 40 }),
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc
      .array(fc.oneof(pieces, fc.string({ unit: 'grapheme-composite', maxLength: 4 })), { maxLength: 10 })
      .map((p) => p.join('')),
  );
  for (const name of NAMES) {
    it(`${name}: fuzzed unicode gives js-tiktoken's ids, and decodes back (lone surrogates as U+FFFD, as there)`, async () => {
      const ours = await loadEncoding(name);
      fc.assert(
        fc.property(text, (s) => {
          const ids = ours.encode(s);
          expect(ids).toEqual(reference[name]!.encode(s));
          expect(ours.decode(ids)).toBe(wellFormed(s));
        }),
        { numRuns: 400, seed: 14 },
      );
    });
  }

  it('the pre-split patterns exported for training are the real ones', () => {
    expect(GPT2_PATTERN).toBe(r50k.pat_str);
    expect(CL100K_PATTERN).toBe(cl100k.pat_str);
  });
});

describe('special tokens are opt-in', () => {
  const text = 'hello <|endoftext|> world';

  it('text that contains one is refused by default, naming it and how to allow it', async () => {
    const cl = await loadEncoding('cl100k_base');
    expect(() => cl.encode(text)).toThrow(
      'encode: the text contains the special token "<|endoftext|>" at 6, which is not allowed; pass allowedSpecial: ["<|endoftext|>"] (or \'all\') to encode it as one token',
    );
    expect(() => reference.cl100k_base!.encode(text)).toThrow(); // js-tiktoken refuses it too
  });

  it('allowed, it is one id, as js-tiktoken gives; as ordinary text, it is split like any characters', async () => {
    const cl = await loadEncoding('cl100k_base');
    const ids = cl.encode(text, { allowedSpecial: ['<|endoftext|>'] });
    expect(ids).toEqual(reference.cl100k_base!.encode(text, ['<|endoftext|>']));
    expect(ids).toContain(100257);
    expect(cl.encode(text, { allowedSpecial: 'all' })).toEqual(ids);
    expect(cl.decode(ids)).toBe(text);
    const ordinary = cl.encodeOrdinary(text);
    expect(ordinary).not.toContain(100257);
    expect(ordinary).toEqual(reference.cl100k_base!.encode(text, [], []));
    expect(() => cl.encode(text, { allowedSpecial: ['<|nope|>'] })).toThrow(
      'encode: "<|nope|>" is not a special token of cl100k_base (it has <|endoftext|>, <|fim_prefix|>, <|fim_middle|>, <|fim_suffix|>, <|endofprompt|>)',
    );
  });
});

describe('decoding', () => {
  it('an id outside the vocabulary is an error naming it; bytes cut inside a character decode to U+FFFD, as tiktoken', async () => {
    const cl = await loadEncoding('cl100k_base');
    expect(() => cl.decode([9906, 100_300])).toThrow(
      'decode: id 100300 (at position 1) is not in the cl100k_base vocabulary',
    );
    expect(() => cl.decode([-1])).toThrow(
      'decode: id -1 (at position 0) is not in the cl100k_base vocabulary',
    );
    const ids = cl.encode('東');
    expect(ids.length).toBeGreaterThan(1); // one character, several byte-level tokens
    expect(cl.decode(ids.slice(0, 1))).toBe(reference.cl100k_base!.decode(ids.slice(0, 1)));
    expect(cl.decode(ids.slice(0, 1))).toContain('\ufffd');
    expect(Array.from(cl.decodeBytes(ids))).toEqual(Array.from(new TextEncoder().encode('東')));
  });

  it('an unknown encoding is an error that lists the known ones', () => {
    expect(() => loadEncoding('p50k' as EncodingName)).toThrow(
      'loadEncoding: unknown encoding "p50k" (known: r50k_base, cl100k_base, o200k_base)',
    );
  });
});
