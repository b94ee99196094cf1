import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';

/** A name as a SQL identifier: double-quoted, inner quotes doubled. */
export const quoteIdentifier = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/** A value as a SQL literal: a number as itself, a string (a path, a name) single-quoted with inner quotes doubled. */
export const sqlLiteral = (value: string | number): string =>
  typeof value === 'number' ? String(value) : `'${value.replaceAll("'", "''")}'`;

/** An embedded DuckDB database (in memory unless a file is given) and its one connection, closed together. */
export class DuckDB {
  private constructor(
    private readonly instance: DuckDBInstance,
    readonly connection: DuckDBConnection,
  ) {}

  static async open(options: { path?: string; threads?: number } = {}): Promise<DuckDB> {
    const instance = await DuckDBInstance.create(options.path ?? ':memory:', {
      threads: String(options.threads ?? 2),
    });
    return new DuckDB(instance, await instance.connect());
  }

  async run(sql: string): Promise<void> {
    await this.connection.run(sql);
  }

  /** The rows of a query as plain objects; BIGINT and HUGEINT come back as JavaScript numbers when they fit exactly. */
  async rows(sql: string): Promise<Record<string, unknown>[]> {
    const reader = await this.connection.runAndReadAll(sql);
    return reader
      .getRowObjectsJS()
      .map((row) =>
        Object.fromEntries(
          Object.entries(row).map(([k, v]) => [
            k,
            typeof v === 'bigint' && Number.isSafeInteger(Number(v)) ? Number(v) : v,
          ]),
        ),
      );
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}
