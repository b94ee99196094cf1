/**
 * Words for the classic models, by rules that fit in a paragraph:
 * 1. Unicode NFKC, then lower case; curly quotes and apostrophes become straight ones.
 * 2. A word is a run of letters, digits and combining marks, which may contain an apostrophe or a hyphen between two
 *    such characters ("don't", "sea-captain"); every other non-space character is a word of its own (".", "—", ",").
 * 3. Sentences end after ".", "!" or "?" (and at the end of the text); empty sentences are dropped.
 */
const WORD_CHAR = /[\p{L}\p{N}\p{M}]/u;
const JOINERS = new Set(["'", '-']);
const SENTENCE_END = new Set(['.', '!', '?']);

export function normalize(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc]/g, "'")
    .replace(/[\u201c\u201d]/g, '"');
}

/** The words of a text, by the rules above. */
export function words(text: string): string[] {
  const chars = Array.from(normalize(text));
  const out: string[] = [];
  let current = '';
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (WORD_CHAR.test(c)) {
      current += c;
      continue;
    }
    const next = chars[i + 1];
    if (JOINERS.has(c) && current !== '' && next !== undefined && WORD_CHAR.test(next)) {
      current += c;
      continue;
    }
    if (current !== '') out.push(current);
    current = '';
    if (c.trim() !== '') out.push(c);
  }
  if (current !== '') out.push(current);
  return out;
}

/** The text as sentences of words (rule 3). */
export function sentences(text: string): string[][] {
  const out: string[][] = [];
  let sentence: string[] = [];
  for (const word of words(text)) {
    sentence.push(word);
    if (SENTENCE_END.has(word)) {
      out.push(sentence);
      sentence = [];
    }
  }
  if (sentence.length > 0) out.push(sentence);
  return out;
}
