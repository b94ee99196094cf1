import { type DuckDB, sqlLiteral as literal, quoteIdentifier as quoteId } from './engine.js';

/** The column types the schemas use, spelled as DuckDB's DESCRIBE reports them. */
export type ColumnType = 'BIGINT' | 'INTEGER' | 'DOUBLE' | 'VARCHAR' | 'TIMESTAMP' | 'DATE' | 'BOOLEAN';

export interface ColumnRule {
  type: ColumnType;
  /** May the column hold NULL? Default false. */
  nullable?: boolean;
  /** Inclusive bounds, for numbers and timestamps ('YYYY-MM-DD hh:mm:ss'). */
  min?: number | string;
  max?: number | string;
  /** The only values the column may take. */
  allowed?: readonly (string | number)[];
  /** Every non-null value appears once. */
  unique?: boolean;
  /** A condition on the row that must hold where this column is not null, in SQL over the table's columns. */
  check?: { sql: string; says: string };
}

/** A typed schema for one table, checked in the engine (`validateTable`) before anything downstream reads it. */
export interface TableSchema {
  table: string;
  columns: Readonly<Record<string, ColumnRule>>;
  rows?: { min?: number; max?: number };
  /** Sets of columns unique together (a composite key); a single column's uniqueness is its own `unique`. */
  keys?: readonly (readonly string[])[];
  /** The newest value of `column` must be no older than `maxAgeHours` before the run's `asOf`. */
  freshness?: { column: string; maxAgeHours: number };
}

/** One rule broken: where, which, how many rows, and a few of them (at most SAMPLE_ROWS, in table order). */
export interface RuleFailure {
  table: string;
  /** The column, or '(table)' for a rule about the whole table. */
  column: string;
  rule: string;
  /** How many break it: rows for a row rule, columns for a schema rule, the table's rows for a table rule. */
  count: number;
  unit: 'rows' | 'columns';
  sample: Record<string, unknown>[];
}

export interface ValidationReport {
  table: string;
  rows: number;
  /** Rules checked, including the ones that passed. */
  checked: number;
  failures: RuleFailure[];
}

export const SAMPLE_ROWS = 3;

/** Thrown when a table breaks its schema: the pipeline stops before writing anything. */
export class ValidationError extends Error {
  constructor(readonly reports: readonly ValidationReport[]) {
    super(
      `validation failed, nothing written:\n${reports
        .filter((r) => r.failures.length > 0)
        .map(formatReport)
        .join('\n')}`,
    );
    this.name = 'ValidationError';
  }
}

function bound(rule: ColumnRule, v: number | string): string {
  if (typeof v === 'number') return String(v);
  if (rule.type === 'TIMESTAMP') return `TIMESTAMP ${literal(v)}`;
  if (rule.type === 'DATE') return `DATE ${literal(v)}`;
  return literal(v);
}

/** Each row-level rule of a column as a SQL condition that is true on an offending row. */
function rowRules(column: string, rule: ColumnRule, table: string): { rule: string; where: string }[] {
  const c = quoteId(column);
  const out: { rule: string; where: string }[] = [];
  if (!rule.nullable) out.push({ rule: 'not null', where: `${c} IS NULL` });
  if (rule.min !== undefined) out.push({ rule: `≥ ${rule.min}`, where: `${c} < ${bound(rule, rule.min)}` });
  if (rule.max !== undefined) out.push({ rule: `≤ ${rule.max}`, where: `${c} > ${bound(rule, rule.max)}` });
  if (rule.allowed)
    out.push({
      rule: `one of ${rule.allowed.join(', ')}`,
      where: `${c} NOT IN (${rule.allowed.map(literal).join(', ')})`,
    });
  if (rule.unique)
    out.push({
      rule: 'unique',
      where: `${c} IN (SELECT ${c} FROM ${quoteId(table)} GROUP BY ${c} HAVING COUNT(*) > 1)`,
    });
  if (rule.check) out.push({ rule: rule.check.says, where: `${c} IS NOT NULL AND NOT (${rule.check.sql})` });
  return out;
}

/**
 * Checks a table against its schema inside the engine: first the columns (missing, unexpected, wrong type), then
 * per column nullability, bounds, allowed values, uniqueness and row conditions, each one SQL count and a sample of
 * offending rows; then the row count and freshness. A table whose columns are wrong stops there (the row rules would
 * read columns that are not there). `asOf` (epoch ms) is the clock freshness is measured against.
 */
export async function validateTable(
  db: DuckDB,
  schema: TableSchema,
  options: { asOf?: number } = {},
): Promise<ValidationReport> {
  const { table } = schema;
  const t = quoteId(table);
  const described = await db.rows(`DESCRIBE ${t}`);
  const actual = new Map(described.map((r) => [String(r.column_name), String(r.column_type)]));
  const failures: RuleFailure[] = [];
  let checked = 0;
  const fail = (
    column: string,
    rule: string,
    count: number,
    unit: RuleFailure['unit'] = 'rows',
    sample: Record<string, unknown>[] = [],
  ) => failures.push({ table, column, rule, count, unit, sample });

  const expected = Object.entries(schema.columns);
  const missing = expected.filter(([name]) => !actual.has(name)).map(([name]) => name);
  const extra = [...actual.keys()].filter((name) => !(name in schema.columns));
  checked += 2;
  if (missing.length > 0)
    fail(missing.join(', '), 'present (missing from the table)', missing.length, 'columns');
  if (extra.length > 0) fail(extra.join(', '), 'expected (not in the schema)', extra.length, 'columns');
  for (const [name, rule] of expected) {
    const type = actual.get(name);
    if (type === undefined) continue;
    checked++;
    if (type !== rule.type) fail(name, `type ${rule.type} (is ${type})`, 1, 'columns');
  }
  const [{ n: rows }] = (await db.rows(`SELECT COUNT(*) AS n FROM ${t}`)) as [{ n: number }];
  if (failures.length > 0) return { table, rows, checked, failures };

  // A row rule: one count of the rows where `where` holds and, if any, the first few of them.
  const offending = async (column: string, rule: string, where: string) => {
    checked++;
    const [{ n }] = (await db.rows(`SELECT COUNT(*) AS n FROM ${t} WHERE ${where}`)) as [{ n: number }];
    if (n > 0)
      fail(
        column,
        rule,
        n,
        'rows',
        await db.rows(`SELECT * FROM ${t} WHERE ${where} ORDER BY rowid LIMIT ${SAMPLE_ROWS}`),
      );
  };
  for (const [name, rule] of expected)
    for (const { rule: says, where } of rowRules(name, rule, table)) await offending(name, says, where);
  for (const key of schema.keys ?? []) {
    const cols = key.map(quoteId).join(', ');
    await offending(
      key.join(', '),
      'unique together',
      `(${cols}) IN (SELECT ${cols} FROM ${t} GROUP BY ${cols} HAVING COUNT(*) > 1)`,
    );
  }
  const { min, max } = schema.rows ?? {};
  if (min !== undefined) {
    checked++;
    if (rows < min) fail('(table)', `at least ${min} rows (has ${rows})`, rows);
  }
  if (max !== undefined) {
    checked++;
    if (rows > max) fail('(table)', `at most ${max} rows (has ${rows})`, rows);
  }
  if (schema.freshness) {
    checked++;
    const { column, maxAgeHours } = schema.freshness;
    const asOf = options.asOf ?? Date.now();
    const [{ newest }] = (await db.rows(`SELECT MAX(${quoteId(column)}) AS newest FROM ${t}`)) as [
      { newest: Date | null },
    ];
    const ageHours = newest === null ? Number.POSITIVE_INFINITY : (asOf - newest.getTime()) / 3_600_000;
    if (ageHours > maxAgeHours)
      fail(
        column,
        `fresh: newest within ${maxAgeHours} h of ${new Date(asOf).toISOString()} (newest ${newest?.toISOString() ?? 'none'}, ${ageHours.toFixed(1)} h old)`,
        rows,
      );
  }
  return { table, rows, checked, failures };
}

/** Validates every table; throws a ValidationError carrying all the reports if any rule is broken. */
export async function validateAll(
  db: DuckDB,
  schemas: readonly TableSchema[],
  options: { asOf?: number } = {},
): Promise<ValidationReport[]> {
  const reports: ValidationReport[] = [];
  for (const schema of schemas) reports.push(await validateTable(db, schema, options));
  if (reports.some((r) => r.failures.length > 0)) throw new ValidationError(reports);
  return reports;
}

function cell(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  if (v instanceof Date) return v.toISOString().replace('T', ' ').replace('.000Z', '');
  return typeof v === 'string' ? JSON.stringify(v) : String(v);
}

/** A report as text: one line per broken rule, with its sample rows indented under it. */
export function formatReport(report: ValidationReport): string {
  const head = `table ${report.table}: ${report.rows} rows, ${report.checked} rules, ${report.failures.length} broken`;
  const lines = report.failures.flatMap((f) => [
    `  ✗ ${f.column}: ${f.rule} — ${f.count} ${f.unit === 'columns' && f.count === 1 ? 'column' : f.count === 1 ? 'row' : f.unit}`,
    ...f.sample.map(
      (row) =>
        `      ${Object.entries(row)
          .map(([k, v]) => `${k}=${cell(v)}`)
          .join(' ')}`,
    ),
  ]);
  return [head, ...lines].join('\n');
}
