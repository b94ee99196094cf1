import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cpus } from 'node:os';
import { openDatabase } from './database.js';
import type { Json } from './pipeline.js';

export type RunStatus = 'running' | 'finished' | 'failed';

export interface Environment {
  node: string;
  platform: string;
  cpu: string;
  cores: number;
}

export interface RunStart {
  experiment: string;
  params: Record<string, Json>;
  gitCommit?: string | null;
  /** A hash of the data the run trained on (the ingest artifact's content hash). */
  dataFingerprint?: string | null;
}

export interface RunSummary {
  id: string;
  experiment: string;
  status: RunStatus;
  startedAt: number;
  endedAt: number | null;
  durationMs: number | null;
  gitCommit: string | null;
  dataFingerprint: string | null;
  environment: Environment;
  params: Record<string, Json>;
  /** The last value logged for each metric. */
  latest: Record<string, number>;
}

export interface RunDetail extends RunSummary {
  metrics: { key: string; step: number; value: number }[];
  artifacts: { name: string; path: string; sha256: string }[];
}

export interface RunFilter {
  experiment?: string;
  status?: RunStatus;
  /** Runs whose parameter has this value. */
  params?: Record<string, Json>;
}

/**
 * Where runs are recorded. Async throughout so that a server-backed store (PostgreSQL) fits the same shape as the
 * embedded one (SQLite).
 */
export interface TrackingStore {
  startRun(start: RunStart): Promise<string>;
  logMetric(runId: string, key: string, value: number, step: number): Promise<void>;
  logMetrics(runId: string, metrics: { key: string; value: number; step: number }[]): Promise<void>;
  logArtifact(runId: string, artifact: { name: string; path: string; sha256: string }): Promise<void>;
  /** Records the data's hash once it is known (a pipeline knows it after its ingest step). */
  setDataFingerprint(runId: string, fingerprint: string): Promise<void>;
  endRun(runId: string, status: Exclude<RunStatus, 'running'>): Promise<void>;
  getRun(runId: string): Promise<RunDetail>;
  listRuns(filter?: RunFilter): Promise<RunSummary[]>;
  close(): Promise<void>;
}

export function environment(): Environment {
  return {
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
  };
}

/** The commit of the working tree at `dir`, or null outside a repository (a source tarball, a container). */
export function gitCommit(dir = process.cwd()): string | null {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], {
      cwd: dir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return null;
  }
}

/**
 * One schema for both stores: SQLite reads `bigint` as INTEGER and `double precision` as REAL, so the same DDL
 * makes the same tables in both.
 */
const SCHEMA = [
  `create table if not exists runs (
    id text primary key,
    experiment text not null,
    status text not null check (status in ('running', 'finished', 'failed')),
    started_at bigint not null,
    ended_at bigint,
    git_commit text,
    data_fingerprint text,
    environment text not null
  )`,
  'create index if not exists runs_experiment on runs (experiment, started_at)',
  `create table if not exists params (
    run_id text not null references runs (id),
    key text not null,
    value text not null,
    primary key (run_id, key)
  )`,
  `create table if not exists metrics (
    run_id text not null references runs (id),
    key text not null,
    step integer not null,
    value double precision not null,
    primary key (run_id, key, step)
  )`,
  `create table if not exists artifacts (
    run_id text not null references runs (id),
    name text not null,
    path text not null,
    sha256 text not null,
    primary key (run_id, name)
  )`,
];

type Row = Record<string, unknown>;

/** A statement with `?` placeholders and its arguments. */
export interface Statement {
  sql: string;
  args: unknown[];
}

/** What the store needs of a database: queries, and a batch of writes that commits whole or not at all. */
export interface SqlClient {
  all(sql: string, args?: unknown[]): Promise<Row[]>;
  batch(statements: Statement[]): Promise<void>;
  close(): Promise<void>;
}

/**
 * The tracking store over any SqlClient: every multi-row write (a run and its parameters, a batch of metrics) is
 * one transaction; SQL is written once, in the dialect SQLite and PostgreSQL share.
 */
export class SqlTrackingStore implements TrackingStore {
  constructor(private readonly client: SqlClient) {}

  async startRun(start: RunStart): Promise<string> {
    if (!start.experiment) throw new Error('startRun: an experiment name is required');
    const id = randomUUID();
    await this.client.batch([
      {
        sql: 'insert into runs (id, experiment, status, started_at, git_commit, data_fingerprint, environment) values (?, ?, ?, ?, ?, ?, ?)',
        args: [
          id,
          start.experiment,
          'running',
          Date.now(),
          start.gitCommit ?? null,
          start.dataFingerprint ?? null,
          JSON.stringify(environment()),
        ],
      },
      ...Object.entries(start.params).map(([key, value]) => ({
        sql: 'insert into params (run_id, key, value) values (?, ?, ?)',
        args: [id, key, JSON.stringify(value)],
      })),
    ]);
    return id;
  }

  async logMetric(runId: string, key: string, value: number, step: number): Promise<void> {
    await this.logMetrics(runId, [{ key, value, step }]);
  }

  async logMetrics(runId: string, metrics: { key: string; value: number; step: number }[]): Promise<void> {
    for (const m of metrics)
      if (!Number.isFinite(m.value))
        throw new RangeError(`metric "${m.key}" at step ${m.step} is ${m.value}, not a finite number`);
    await this.requireRunning(runId);
    await this.client.batch(
      metrics.map((m) => ({
        sql: 'insert into metrics (run_id, key, step, value) values (?, ?, ?, ?) on conflict (run_id, key, step) do update set value = excluded.value',
        args: [runId, m.key, m.step, m.value],
      })),
    );
  }

  async logArtifact(runId: string, artifact: { name: string; path: string; sha256: string }): Promise<void> {
    if (!/^[0-9a-f]{64}$/.test(artifact.sha256))
      throw new Error(`artifact "${artifact.name}": sha256 must be 64 hex digits, got "${artifact.sha256}"`);
    await this.requireRunning(runId);
    await this.client.batch([
      {
        sql: 'insert into artifacts (run_id, name, path, sha256) values (?, ?, ?, ?) on conflict (run_id, name) do update set path = excluded.path, sha256 = excluded.sha256',
        args: [runId, artifact.name, artifact.path, artifact.sha256],
      },
    ]);
  }

  async setDataFingerprint(runId: string, fingerprint: string): Promise<void> {
    await this.requireRunning(runId);
    await this.client.batch([
      { sql: 'update runs set data_fingerprint = ? where id = ?', args: [fingerprint, runId] },
    ]);
  }

  async endRun(runId: string, status: Exclude<RunStatus, 'running'>): Promise<void> {
    await this.requireRunning(runId);
    await this.client.batch([
      { sql: 'update runs set status = ?, ended_at = ? where id = ?', args: [status, Date.now(), runId] },
    ]);
  }

  async getRun(runId: string): Promise<RunDetail> {
    const [summary] = await this.summaries('where r.id = ?', [runId]);
    if (!summary) throw new Error(`no run with id ${runId}`);
    const metrics = await this.client.all(
      'select key, step, value from metrics where run_id = ? order by key, step',
      [runId],
    );
    const artifacts = await this.client.all(
      'select name, path, sha256 from artifacts where run_id = ? order by name',
      [runId],
    );
    return {
      ...summary,
      metrics: metrics.map((m) => ({ key: String(m.key), step: Number(m.step), value: Number(m.value) })),
      artifacts: artifacts.map((a) => ({
        name: String(a.name),
        path: String(a.path),
        sha256: String(a.sha256),
      })),
    };
  }

  async listRuns(filter: RunFilter = {}): Promise<RunSummary[]> {
    const clauses: string[] = [];
    const args: unknown[] = [];
    if (filter.experiment) {
      clauses.push('r.experiment = ?');
      args.push(filter.experiment);
    }
    if (filter.status) {
      clauses.push('r.status = ?');
      args.push(filter.status);
    }
    for (const [key, value] of Object.entries(filter.params ?? {})) {
      clauses.push('exists (select 1 from params p where p.run_id = r.id and p.key = ? and p.value = ?)');
      args.push(key, JSON.stringify(value));
    }
    return this.summaries(clauses.length ? `where ${clauses.join(' and ')}` : '', args);
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  private async requireRunning(runId: string): Promise<void> {
    const [row] = await this.client.all('select status from runs where id = ?', [runId]);
    if (!row) throw new Error(`no run with id ${runId}`);
    if (row.status !== 'running')
      throw new Error(`run ${runId} has ended (${row.status}); it takes no more records`);
  }

  private async summaries(where: string, args: unknown[]): Promise<RunSummary[]> {
    const runs = await this.client.all(`select * from runs r ${where} order by r.started_at, r.id`, args);
    return Promise.all(
      runs.map(async (r) => {
        const params = await this.client.all('select key, value from params where run_id = ? order by key', [
          r.id,
        ]);
        const latest = await this.client.all(
          'select m.key, m.value from metrics m where m.run_id = ? and m.step = (select max(step) from metrics n where n.run_id = m.run_id and n.key = m.key) order by m.key',
          [r.id],
        );
        const endedAt = r.ended_at === null ? null : Number(r.ended_at);
        return {
          id: String(r.id),
          experiment: String(r.experiment),
          status: r.status as RunStatus,
          startedAt: Number(r.started_at),
          endedAt,
          durationMs: endedAt === null ? null : endedAt - Number(r.started_at),
          gitCommit: (r.git_commit as string | null) ?? null,
          dataFingerprint: (r.data_fingerprint as string | null) ?? null,
          environment: JSON.parse(String(r.environment)) as Environment,
          params: Object.fromEntries(params.map((p) => [String(p.key), JSON.parse(String(p.value)) as Json])),
          latest: Object.fromEntries(latest.map((m) => [String(m.key), Number(m.value)])),
        };
      }),
    );
  }
}

/**
 * The embedded store: one SQLite file in WAL mode (readers never block the writer, and two processes may write: the
 * second waits up to `busyTimeoutMs`), foreign keys on. libsql gives better-sqlite3's synchronous API, wrapped here
 * in the async SqlClient the PostgreSQL store shares.
 */
export class SqliteTrackingStore extends SqlTrackingStore {
  constructor(path: string, options: { busyTimeoutMs?: number } = {}) {
    const db = openDatabase(path, options);
    db.pragma('foreign_keys = ON');
    for (const ddl of SCHEMA) db.exec(ddl);
    super({
      all: async (sql, args = []) => db.prepare(sql).all(...args) as Row[],
      batch: async (statements) => {
        db.transaction(() => {
          for (const s of statements) db.prepare(s.sql).run(...s.args);
        }).immediate();
      },
      close: async () => {
        db.close();
      },
    });
  }
}

/** The schema's statements, for a store over another database (the PostgreSQL one). */
export const TRACKING_SCHEMA: readonly string[] = SCHEMA;
