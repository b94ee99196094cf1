import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { csvParse, type DSVRowArray } from 'd3-dsv';
import { DatasetError } from './errors.js';

const require = createRequire(import.meta.url);

/**
 * The install folder of an npm package. Resolves its entry point and walks up to the folder whose
 * package.json carries the name: some packages (vega-datasets) do not export their package.json.
 */
export function packageDir(name: string): string {
  let dir = dirname(require.resolve(name));
  for (;;) {
    try {
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string };
      if (manifest.name === name) return dir;
    } catch {
      // no package.json at this level: keep walking up
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find the install folder of npm package ${name}`);
    dir = parent;
  }
}

export function readText(dataset: string, file: string, expected: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'is missing' : 'cannot be read';
    throw new DatasetError(dataset, `file ${file} ${reason} (expected ${expected})`, { cause: error });
  }
}

export function readJson(dataset: string, file: string, expected: string): unknown {
  const text = readText(dataset, file, expected);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new DatasetError(
      dataset,
      `file ${file} is not valid JSON, perhaps truncated (expected ${expected}): ${(error as Error).message}`,
      { cause: error },
    );
  }
}

/**
 * A JSON file that must hold an array, of exactly `count` items when a count is given. `Row` only names
 * the shape the caller goes on to check field by field; nothing here guarantees it.
 */
export function readJsonArray<Row = unknown>(
  dataset: string,
  file: string,
  expected: string,
  count?: number,
): Row[] {
  const rows = readJson(dataset, file, expected);
  if (!Array.isArray(rows))
    throw new DatasetError(dataset, `file ${file} is not an array (expected ${expected})`);
  if (count !== undefined) expectCount(dataset, `rows in ${file}`, rows.length, count);
  return rows as Row[];
}

/** Parses a CSV file and checks that its header holds every expected column. */
export function readCsv(
  dataset: string,
  file: string,
  columns: readonly string[],
  expected: string,
): DSVRowArray<string> {
  const rows = csvParse(readText(dataset, file, expected));
  const missing = columns.filter((c) => !rows.columns.includes(c));
  if (missing.length > 0) {
    throw new DatasetError(
      dataset,
      `file ${file} has columns [${rows.columns.join(', ')}], missing [${missing.join(', ')}] (expected ${expected})`,
    );
  }
  return rows;
}

/** A finite number parsed from a CSV cell or JSON field, or a DatasetError naming where it was. */
export function finiteNumber(dataset: string, value: unknown, where: string): number {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n)) {
    throw new DatasetError(dataset, `${where} is ${JSON.stringify(value)}, expected a finite number`);
  }
  return n;
}

export function expectCount(dataset: string, what: string, actual: number, expected: number): void {
  if (actual !== expected) {
    throw new DatasetError(dataset, `${what}: found ${actual}, expected ${expected}`);
  }
}
