import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import { type DuckDB, sqlLiteral as literal, quoteIdentifier as quoteId } from './engine.js';
import type { TableSchema } from './validate.js';

/** A file the pipeline cannot take, with what was wrong and what was expected; nothing is loaded. */
export class InputError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
    this.name = 'InputError';
  }
}

/** How many bad CSV rows an error lists (it counts them all). */
export const LISTED_BAD_ROWS = 5;

/** The first line of a file, without reading the rest (a CSV header). */
function firstLine(file: string): string {
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(64 * 1024);
    const n = readSync(fd, buffer, 0, buffer.length, 0);
    const text = buffer.subarray(0, n).toString('utf8');
    const end = text.indexOf('\n');
    return (end < 0 ? text : text.slice(0, end)).replace(/\r$/, '').replace(/^\uFEFF/, '');
  } finally {
    closeSync(fd);
  }
}

/** Names new and missing columns, in the schema's words; nothing when the columns are the schema's. */
function driftProblem(found: readonly string[], schema: TableSchema): string | undefined {
  const expected = Object.keys(schema.columns);
  const missing = expected.filter((c) => !found.includes(c));
  const added = found.filter((c) => !expected.includes(c));
  if (missing.length === 0 && added.length === 0) return undefined;
  const parts = [
    missing.length > 0 ? `missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}` : '',
    added.length > 0 ? `unexpected column${added.length > 1 ? 's' : ''} ${added.join(', ')}` : '',
  ].filter(Boolean);
  return `schema drift: ${parts.join('; ')} (expected ${expected.join(', ')})`;
}

/**
 * Loads a CSV or Parquet file into the table `schema.table` (replacing it), with the schema's column types. Refuses,
 * loading nothing: a missing or empty file, a header or Parquet schema whose columns differ from the schema's (new
 * or missing columns), CSV rows with the wrong number of fields or a value that does not convert to its column's type
 * (every bad row is counted; the first few are listed with their line numbers), and a file with no rows. Values the
 * types accept but the rules do not (ranges, allowed values, uniqueness) are for `validateTable`.
 */
export async function loadTable(db: DuckDB, file: string, schema: TableSchema): Promise<number> {
  const format = extname(file).toLowerCase();
  const expectation = `a CSV or Parquet file with columns ${Object.keys(schema.columns).join(', ')}`;
  if (format !== '.csv' && format !== '.parquet')
    throw new InputError(
      file,
      `cannot read ${format || 'a file without an extension'} (expected ${expectation})`,
    );
  if (!existsSync(file)) throw new InputError(file, `no such file (expected ${expectation})`);
  if (statSync(file).size === 0) throw new InputError(file, `the file is empty (expected ${expectation})`);
  const table = quoteId(schema.table);
  if (format === '.csv') await loadCsv(db, file, schema);
  else {
    let described: Record<string, unknown>[];
    try {
      described = await db.rows(`DESCRIBE SELECT * FROM read_parquet(${literal(file)})`);
    } catch (error) {
      throw new InputError(file, `not a readable Parquet file: ${firstLineOf(error)}`);
    }
    const drift = driftProblem(
      described.map((r) => String(r.column_name)),
      schema,
    );
    if (drift) throw new InputError(file, drift);
    const wrong = described.filter((r) => schema.columns[String(r.column_name)]!.type !== r.column_type);
    if (wrong.length > 0)
      throw new InputError(
        file,
        `wrong type: ${wrong.map((r) => `${r.column_name} is ${r.column_type}, expected ${schema.columns[String(r.column_name)]!.type}`).join('; ')}`,
      );
    const columns = Object.keys(schema.columns).map(quoteId).join(', ');
    await db.run(`CREATE OR REPLACE TABLE ${table} AS SELECT ${columns} FROM read_parquet(${literal(file)})`);
  }
  const [{ n }] = (await db.rows(`SELECT COUNT(*) AS n FROM ${table}`)) as [{ n: number }];
  if (n === 0) {
    await db.run(`DROP TABLE ${table}`);
    throw new InputError(file, `no rows (expected ${expectation} and at least one row)`);
  }
  return n;
}

function firstLineOf(error: unknown): string {
  return String((error as Error).message ?? error).split('\n')[0]!;
}

async function loadCsv(db: DuckDB, file: string, schema: TableSchema): Promise<void> {
  const line = firstLine(file);
  if (line.trim() === '')
    throw new InputError(
      file,
      `the first line is blank: no header (expected ${Object.keys(schema.columns).join(',')})`,
    );
  const header = line.split(',').map((c) => c.trim().replace(/^"(.*)"$/, '$1'));
  const drift = driftProblem(header, schema);
  if (drift) throw new InputError(file, `header ${drift}`);
  const columns = `{${Object.entries(schema.columns)
    .map(([name, rule]) => `${literal(name)}: ${literal(rule.type)}`)
    .join(', ')}}`;
  const table = quoteId(schema.table);
  const rejects = `rejects_${schema.table.replace(/\W/g, '_')}`;
  try {
    // Columns in the header's order with the schema's types; no sniffing, so a bad row cannot change how every other
    // row is read. Rows that fail are kept aside in the rejects tables, with their line numbers, and reported.
    const ordered = `{${header.map((name) => `${literal(name)}: ${literal(schema.columns[name]!.type)}`).join(', ')}}`;
    await db.run(
      `CREATE OR REPLACE TABLE ${table} AS SELECT ${Object.keys(schema.columns).map(quoteId).join(', ')} FROM read_csv(${literal(file)}, header = true, auto_detect = false, delim = ',', quote = '"', escape = '"', columns = ${ordered}, store_rejects = true, rejects_table = '${rejects}_errors', rejects_scan = '${rejects}_scans')`,
    );
  } catch (error) {
    throw new InputError(file, `cannot be read as CSV with columns ${columns}: ${firstLineOf(error)}`);
  }
  const errors = await db.rows(
    `SELECT line, column_name, error_type, error_message, csv_line FROM ${rejects}_errors ORDER BY line`,
  );
  await db.run(`DROP TABLE IF EXISTS ${rejects}_errors; DROP TABLE IF EXISTS ${rejects}_scans`);
  if (errors.length > 0) {
    await db.run(`DROP TABLE ${table}`);
    const listed = errors
      .slice(0, LISTED_BAD_ROWS)
      .map(
        (e) =>
          `  line ${e.line}: ${e.error_type === 'CAST' ? `wrong type in ${e.column_name}` : String(e.error_type).toLowerCase()}: ${e.error_message} — ${JSON.stringify(e.csv_line)}`,
      );
    throw new InputError(
      file,
      `${errors.length} malformed row${errors.length > 1 ? 's' : ''}, nothing loaded:\n${listed.join('\n')}${errors.length > LISTED_BAD_ROWS ? `\n  … and ${errors.length - LISTED_BAD_ROWS} more` : ''}`,
    );
  }
}
