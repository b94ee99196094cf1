import { loadMobyDick } from '@mle/datasets';
import { CharVocabulary, type Tokenizer, trainBpe } from '@mle/nlp';

/** A tokenized text split for language modelling, and the codec to go between text and ids. */
export interface Corpus {
  name: string;
  vocabSize: number;
  train: Int32Array;
  val: Int32Array;
  /** Characters of the validation text: its loss per token × val.length / valChars is the loss per character. */
  valChars: number;
  encode(text: string): Int32Array;
  decode(ids: Iterable<number>): string;
}

/**
 * Moby Dick cut into training text (the first 90% of its characters) and validation text (the last 10%, never
 * shuffled into training): the model is scored on chapters it has not read.
 */
export function mobyDickSplit(): { train: string; val: string } {
  const chars = Array.from(loadMobyDick().text);
  const cut = Math.floor(chars.length * 0.9);
  return { train: chars.slice(0, cut).join(''), val: chars.slice(cut).join('') };
}

/** One token per character, the vocabulary read off the training text (the validation text uses no other). */
export function charCorpus(split = mobyDickSplit()): Corpus {
  const vocabulary = CharVocabulary.fromText(split.train);
  return {
    name: 'chars',
    vocabSize: vocabulary.size,
    train: vocabulary.encode(split.train),
    val: vocabulary.encode(split.val),
    valChars: Array.from(split.val).length,
    encode: (text) => vocabulary.encode(text),
    decode: (ids) => vocabulary.decode(ids),
  };
}

/** Byte-level BPE (@mle/nlp) with `vocabSize` tokens, its merges learned from the training text only. */
export function bpeCorpus(vocabSize: number, split = mobyDickSplit()): Corpus & { tokenizer: Tokenizer } {
  const { tokenizer } = trainBpe(split.train, { vocabSize, name: `moby-dick-${vocabSize}` });
  const encode = (text: string) => Int32Array.from(tokenizer.encode(text));
  return {
    name: `bpe-${vocabSize}`,
    vocabSize,
    train: encode(split.train),
    val: encode(split.val),
    valChars: Array.from(split.val).length,
    encode,
    decode: (ids) => tokenizer.decode([...ids]),
    tokenizer,
  };
}
