import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cpus } from 'node:os';
import type Database from 'libsql';
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

const SCHEMA = `
create table if not exists runs (
  id text primary key,
  experiment text not null,
  status text not null check (status in ('running', 'finished', 'failed')),
  started_at integer not null,
  ended_at integer,
  git_commit text,
  data_fingerprint text,
  environment text not null
);
create index if not exists runs_experiment on runs (experiment, started_at);
create table if not exists params (
  run_id text not null references runs (id),
  key text not null,
  value text not null,
  primary key (run_id, key)
);
create table if not exists metrics (
  run_id text not null references runs (id),
  key text not null,
  step integer not null,
  value real not null,
  primary key (run_id, key, step)
);
create table if not exists artifacts (
  run_id text not null references runs (id),
  name text not null,
  path text not null,
  sha256 text not null,
  primary key (run_id, name)
);
`;

type Row = Record<string, unknown>;

/**
 * The embedded store: one SQLite file in WAL mode (readers never block the writer, and two processes may write: the
 * second waits up to `busyTimeoutMs`), every multi-row write in one transaction, foreign keys on. libsql gives
 * better-sqlite3's synchronous API; the methods are async to match the TrackingStore interface.
 */
export class SqliteTrackingStore implements TrackingStore {
  private readonly db: Database.Database;

  constructor(path: string, options: { busyTimeoutMs?: number } = {}) {
    this.db = openDatabase(path, options);
    this.db.pragma('foreign_keys = ON');
    this.db.exec(SCHEMA);
  }

  async startRun(start: RunStart): Promise<string> {
    if (!start.experiment) throw new Error('startRun: an experiment name is required');
    const id = randomUUID();
    const insertParam = this.db.prepare('insert into params (run_id, key, value) values (?, ?, ?)');
    this.db.transaction(() => {
      this.db
        .prepare(
          'insert into runs (id, experiment, status, started_at, git_commit, data_fingerprint, environment) values (?, ?, ?, ?, ?, ?, ?)',
        )
        .run(
          id,
          start.experiment,
          'running',
          Date.now(),
          start.gitCommit ?? null,
          start.dataFingerprint ?? null,
          JSON.stringify(environment()),
        );
      for (const [key, value] of Object.entries(start.params))
        insertParam.run(id, key, JSON.stringify(value));
    })();
    return id;
  }

  async logMetric(runId: string, key: string, value: number, step: number): Promise<void> {
    await this.logMetrics(runId, [{ key, value, step }]);
  }

  async logMetrics(runId: string, metrics: { key: string; value: number; step: number }[]): Promise<void> {
    for (const m of metrics)
      if (!Number.isFinite(m.value))
        throw new RangeError(`metric "${m.key}" at step ${m.step} is ${m.value}, not a finite number`);
    this.requireRunning(runId);
    const insert = this.db.prepare(
      'insert or replace into metrics (run_id, key, step, value) values (?, ?, ?, ?)',
    );
    this.db.transaction(() => {
      for (const m of metrics) insert.run(runId, m.key, m.step, m.value);
    })();
  }

  async logArtifact(runId: string, artifact: { name: string; path: string; sha256: string }): Promise<void> {
    if (!/^[0-9a-f]{64}$/.test(artifact.sha256))
      throw new Error(`artifact "${artifact.name}": sha256 must be 64 hex digits, got "${artifact.sha256}"`);
    this.requireRunning(runId);
    this.db
      .prepare('insert or replace into artifacts (run_id, name, path, sha256) values (?, ?, ?, ?)')
      .run(runId, artifact.name, artifact.path, artifact.sha256);
  }

  async setDataFingerprint(runId: string, fingerprint: string): Promise<void> {
    this.requireRunning(runId);
    this.db.prepare('update runs set data_fingerprint = ? where id = ?').run(fingerprint, runId);
  }

  async endRun(runId: string, status: Exclude<RunStatus, 'running'>): Promise<void> {
    this.requireRunning(runId);
    this.db.prepare('update runs set status = ?, ended_at = ? where id = ?').run(status, Date.now(), runId);
  }

  async getRun(runId: string): Promise<RunDetail> {
    const [summary] = this.summaries('where r.id = ?', [runId]);
    if (!summary) throw new Error(`no run with id ${runId}`);
    const metrics = this.db
      .prepare('select key, step, value from metrics where run_id = ? order by key, step')
      .all(runId) as Row[];
    const artifacts = this.db
      .prepare('select name, path, sha256 from artifacts where run_id = ? order by name')
      .all(runId) as Row[];
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
    this.db.close();
  }

  private requireRunning(runId: string): void {
    const row = this.db.prepare('select status from runs where id = ?').get(runId) as Row | undefined;
    if (!row) throw new Error(`no run with id ${runId}`);
    if (row.status !== 'running')
      throw new Error(`run ${runId} has ended (${row.status}); it takes no more records`);
  }

  private summaries(where: string, args: unknown[]): RunSummary[] {
    const runs = this.db
      .prepare(`select * from runs r ${where} order by r.started_at, r.id`)
      .all(...args) as Row[];
    const params = this.db.prepare('select key, value from params where run_id = ? order by key');
    const latest = this.db.prepare(
      'select m.key, m.value from metrics m where m.run_id = ? and m.step = (select max(step) from metrics n where n.run_id = m.run_id and n.key = m.key) order by m.key',
    );
    return runs.map((r) => {
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
        params: Object.fromEntries(
          (params.all(r.id) as Row[]).map((p) => [String(p.key), JSON.parse(String(p.value)) as Json]),
        ),
        latest: Object.fromEntries((latest.all(r.id) as Row[]).map((m) => [String(m.key), Number(m.value)])),
      };
    });
  }
}
