import pg from 'pg';
import { type SqlClient, SqlTrackingStore, type Statement, TRACKING_SCHEMA } from './tracking.js';

/** `?` placeholders as PostgreSQL's `$1, $2, …` (the store's SQL has no `?` inside string literals). */
const numbered = (sql: string) => {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
};

/**
 * The tracking store on a team's PostgreSQL server, through node-postgres: the same SQL and behaviour as the SQLite
 * store (one interface, one test suite), a pool of connections, each batch of writes in a transaction. Every table
 * lives in `schema`, created on first connect under an advisory lock so that two processes starting at once do not
 * race to create it.
 */
export class PostgresTrackingStore extends SqlTrackingStore {
  static async connect(options: {
    connectionString: string;
    schema?: string;
  }): Promise<PostgresTrackingStore> {
    const schema = options.schema ?? 'mlops';
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema))
      throw new Error(
        `schema "${schema}": lower-case letters, digits and underscores, starting with a letter`,
      );
    const pool = new pg.Pool({
      connectionString: options.connectionString,
      max: 4,
      options: `-c search_path=${schema}`,
    });
    // An idle client's error (the server restarting) must not crash the process; the next query reports it.
    pool.on('error', () => {});
    const client = await pool.connect().catch(async (error: Error) => {
      await pool.end();
      throw new Error(
        `cannot connect to PostgreSQL at ${redact(options.connectionString)}: ${error.message}`,
      );
    });
    try {
      await client.query('begin');
      await client.query("select pg_advisory_xact_lock(hashtext('mle-mlops-schema'))");
      await client.query(`create schema if not exists ${schema}`);
      for (const ddl of TRACKING_SCHEMA) await client.query(ddl);
      await client.query('commit');
    } catch (error) {
      await client.query('rollback');
      throw error;
    } finally {
      client.release();
    }
    return new PostgresTrackingStore(pgClient(pool));
  }
}

function pgClient(pool: pg.Pool): SqlClient {
  return {
    all: async (sql, args = []) => (await pool.query(numbered(sql), args)).rows,
    batch: async (statements: Statement[]) => {
      const client = await pool.connect();
      try {
        await client.query('begin');
        for (const s of statements) await client.query(numbered(s.sql), s.args);
        await client.query('commit');
      } catch (error) {
        await client.query('rollback').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

/** A connection string without its password, for error messages. */
const redact = (url: string) => url.replace(/(\/\/[^:/@]+):[^@]*@/, '$1:***@');
