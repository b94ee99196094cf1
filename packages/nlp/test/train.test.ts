import { loadMobyDick } from '@mle/datasets';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CL100K_PATTERN, parseTiktokenRanks, Tokenizer, trainBpe, trainBpeNaive } from '../src/index.js';

const sample = loadMobyDick()
  .sections.slice(0, 8)
  .map((s) => s.text)
  .join('\n\n');

describe('trainBpe', () => {
  it('makes exactly the merges of the recount-everything trainer, in the same order, with the same counts', () => {
    const options = { vocabSize: 600, pattern: CL100K_PATTERN };
    const fast = trainBpe(sample, options);
    const naive = trainBpeNaive(sample, options);
    expect(fast.merges.length).toBeGreaterThanOrEqual(344);
    expect(fast.merges).toEqual(naive.merges);
    // The first merges of English text: a space and a letter, and "th", "he", "in" … (checked by recounting).
    expect(fast.tokenizer.piece(fast.merges[0]!.id)).toBe(' t');
  });

  it('the first merge is the most frequent adjacent byte pair, counted by hand', () => {
    const { merges } = trainBpe('aaab aaab aaab', { vocabSize: 257 });
    // Pieces (GPT-2 pattern): "aaab" ×1, " aaab" ×2; pairs: (a,a) 2 per piece = 6, (a,b) 3, (' ',a) 2.
    expect(merges[0]).toEqual({ pair: [97, 97], id: 256, count: 6 });
  });

  it('encodes and decodes any text losslessly, saves in tiktoken format and loads back the same tokenizer', () => {
    const { tokenizer } = trainBpe(sample, { vocabSize: 512, specialTokens: ['<|endoftext|>'] });
    const saved = tokenizer.toTiktoken();
    expect(saved.split('\n')[97]).toBe('YQ== 97'); // the byte "a" keeps rank 97
    const loaded = new Tokenizer({
      ranks: parseTiktokenRanks(saved),
      pattern: tokenizer.pattern,
      specialTokens: tokenizer.specialTokens,
    });
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), (s) => {
        const ids = tokenizer.encode(s);
        expect(tokenizer.decode(ids)).toBe(s);
        expect(loaded.encode(s)).toEqual(ids);
      }),
      { numRuns: 200, seed: 3 },
    );
    expect(tokenizer.encode('whale<|endoftext|>', { allowedSpecial: 'all' }).at(-1)).toBe(512);
    // 256 merges already halve the text it was trained on (2.1 characters a token here).
    expect(tokenizer.encode(sample).length).toBeLessThan(sample.length / 2);
  });

  it('says what is wrong with its input', () => {
    expect(() => trainBpe('', { vocabSize: 300 })).toThrow('trainBpe: the training text is empty');
    expect(() => trainBpe('abc', { vocabSize: 255 })).toThrow(
      'trainBpe: vocabSize must be a whole number ≥ 256 (the single bytes), got 255',
    );
    // "abab" and " abab": (a, b), then (ab, ab) and ( , abab): three merges leave every piece one token.
    expect(() => trainBpe('abab abab', { vocabSize: 300 })).toThrow(
      'trainBpe: vocabSize 300 is more than this text can produce: only 3 merges were possible (a vocabulary of 259)',
    );
    expect(() => parseTiktokenRanks('YQ== 0\nnot a line')).toThrow(
      'tiktoken ranks, line 2: expected "<base64 bytes> <rank>", got "not a line"',
    );
  });
});
