import sqlParser from 'node-sql-parser';

/**
 * DuckDB-only syntax that Spark SQL does not take: each entry is what to look for (outside comments and string
 * literals) and why it is refused. Short on purpose: the parser below does the broad check.
 */
export const DUCKDB_ONLY: readonly { pattern: RegExp; why: string }[] = [
  { pattern: /::/, why: 'the :: cast (write CAST(x AS type))' },
  { pattern: /\bQUALIFY\b/i, why: 'QUALIFY (filter a window in an outer query)' },
  { pattern: /\[[^\]]*\bfor\b[^\]]*\bin\b/i, why: 'a list comprehension' },
  { pattern: /\bGROUP\s+BY\s+ALL\b|\bORDER\s+BY\s+ALL\b/i, why: 'GROUP BY ALL / ORDER BY ALL' },
  { pattern: /\*\s*(EXCLUDE|REPLACE)\s*\(/i, why: 'SELECT * EXCLUDE/REPLACE' },
  { pattern: /\bCOLUMNS\s*\(/i, why: 'the COLUMNS(...) expression' },
  { pattern: /^\s*FROM\b/i, why: 'a query that starts with FROM' },
  {
    pattern: /\bread_(parquet|csv|json)\s*\(/i,
    why: 'a DuckDB file-reading function (register the files as tables)',
  },
  { pattern: /\b(epoch|strftime|list_\w+|struct_pack)\s*\(/i, why: 'a DuckDB-only function' },
];

/** SQL without its comments and with string literals emptied, so patterns only see the code. */
function codeOnly(sql: string): string {
  return sql.replace(/--[^\n]*/g, '').replace(/'(?:[^']|'')*'/g, "''");
}

/**
 * What keeps a query from running unchanged on Spark SQL: it must parse in node-sql-parser's Hive dialect (Spark's
 * parser descends from Hive's) and use none of DUCKDB_ONLY. Returns the problems; none means portable.
 */
export function portabilityProblems(sql: string): string[] {
  const problems: string[] = [];
  try {
    new sqlParser.Parser().astify(sql, { database: 'hive' });
  } catch (error) {
    problems.push(`does not parse as Hive/Spark SQL: ${(error as Error).message.split('\n')[0]}`);
  }
  const code = codeOnly(sql);
  for (const { pattern, why } of DUCKDB_ONLY) if (pattern.test(code)) problems.push(`uses ${why}`);
  return problems;
}
