import { describe, expect, it } from 'vitest';
import {
  portabilityProblems,
  QUERIES,
  querySource,
  querySql,
  REAL_QUERIES,
  realQuerySql,
} from '../src/index.js';

describe('the pipeline SQL moves to Spark unchanged', () => {
  it.each(QUERIES)('%s.sql parses as Hive/Spark SQL and uses no DuckDB-only syntax', (name) => {
    expect(portabilityProblems(querySql(name, '2026-01-22 00:00:00'))).toEqual([]);
    expect(querySource(name)).toContain('{{cutoff}}'); // the one parameter, filled the same way for either engine
  });

  it.each(REAL_QUERIES)(
    '%s.sql (real data) parses as Hive/Spark SQL and uses no DuckDB-only syntax',
    (name) => {
      expect(portabilityProblems(realQuerySql(name))).toEqual([]);
    },
  );

  it('the check can fail: DuckDB-only queries are named for what they use', () => {
    expect(portabilityProblems('SELECT ts::DATE AS day FROM events')).toContain(
      'uses the :: cast (write CAST(x AS type))',
    );
    expect(
      portabilityProblems(
        'SELECT user_id FROM events QUALIFY ROW_NUMBER() OVER (PARTITION BY user_id ORDER BY ts) = 1',
      ),
    ).toEqual(expect.arrayContaining(['uses QUALIFY (filter a window in an outer query)']));
    expect(portabilityProblems("SELECT * FROM read_parquet('events/*.parquet')")).toContain(
      'uses a DuckDB file-reading function (register the files as tables)',
    );
    expect(portabilityProblems('SELEC user_id FROM events')[0]).toMatch(/^does not parse as Hive\/Spark SQL/);
  });

  it('comments and string literals are not code', () => {
    expect(portabilityProblems("-- a note with :: in it\nSELECT 'QUALIFY' AS word FROM events")).toEqual([]);
  });
});
