import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'libsql';

/**
 * Opens (creating it and its directory if needed) the SQLite file the tracking store and the registry share: WAL mode, so readers never
 * block the writer, and a busy timeout, so a second writing process waits instead of failing.
 */
export function openDatabase(path: string, options: { busyTimeoutMs?: number } = {}): Database.Database {
  mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 10_000}`);
  return db;
}
