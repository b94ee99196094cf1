import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'libsql';
import { openDatabase } from './database.js';
import type { GateReport } from './gate.js';
import { sha256 } from './hash.js';

export type Stage = 'none' | 'staging' | 'production' | 'archived';

export interface ModelVersion {
  name: string;
  version: number;
  stage: Stage;
  /** Lineage: the run that trained it, the data it saw, the code that made it. */
  runId: string | null;
  dataHash: string;
  codeVersion: string;
  /** The export artifact's directory (model.onnx, config.json) and model.onnx's sha256. */
  artifactDir: string;
  sha256: string;
  metrics: Record<string, number>;
  gate: GateReport | null;
  createdAt: number;
}

export class PromotionRefused extends Error {
  override name = 'PromotionRefused';
}

const SCHEMA = `
create table if not exists model_versions (
  name text not null,
  version integer not null,
  stage text not null check (stage in ('none', 'staging', 'production', 'archived')),
  run_id text,
  data_hash text not null,
  code_version text not null,
  artifact_dir text not null,
  sha256 text not null,
  metrics text not null,
  gate text,
  created_at integer not null,
  primary key (name, version)
);
create table if not exists stage_history (
  seq integer primary key autoincrement,
  name text not null,
  version integer not null,
  stage text not null,
  at integer not null
);
`;

type Row = Record<string, unknown>;

/**
 * The model registry (MLflow's shape: named models, numbered versions, stages), in the same SQLite file as the
 * tracking store. A version records its lineage and the hash of its model file; going to production requires a
 * passing gate report, archives the version it replaces in the same transaction, and is refused with the failed
 * checks named.
 */
export class ModelRegistry {
  private readonly db: Database.Database;

  constructor(path: string, options: { busyTimeoutMs?: number } = {}) {
    this.db = openDatabase(path, options);
    this.db.exec(SCHEMA);
  }

  /**
   * Registers the export artifact in `artifactDir` as the next version of `name` (stage none), or returns the
   * version that already holds the same model file.
   */
  register(input: {
    name: string;
    artifactDir: string;
    runId?: string | null;
    dataHash: string;
    codeVersion: string;
    metrics: Record<string, number>;
  }): ModelVersion {
    const hash = sha256(readFileSync(join(input.artifactDir, 'model.onnx')));
    // The lookup, the next number and the insert in one write transaction: two processes registering different
    // files get different versions, and the same file registered twice (a pipeline rerun) is one version.
    const version = this.db
      .transaction(() => {
        const same = this.db
          .prepare('select version from model_versions where name = ? and sha256 = ?')
          .get(input.name, hash) as Row | undefined;
        if (same) return Number(same.version);
        const next = Number(
          (
            this.db
              .prepare('select coalesce(max(version), 0) + 1 as v from model_versions where name = ?')
              .get(input.name) as Row
          ).v,
        );
        this.db
          .prepare(
            'insert into model_versions (name, version, stage, run_id, data_hash, code_version, artifact_dir, sha256, metrics, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
          )
          .run(
            input.name,
            next,
            'none',
            input.runId ?? null,
            input.dataHash,
            input.codeVersion,
            input.artifactDir,
            hash,
            JSON.stringify(input.metrics),
            Date.now(),
          );
        return next;
      })
      .immediate();
    return this.get(input.name, version);
  }

  get(name: string, version: number): ModelVersion {
    const row = this.db
      .prepare('select * from model_versions where name = ? and version = ?')
      .get(name, version) as Row | undefined;
    if (!row) throw new Error(`model "${name}" has no version ${version}`);
    return toVersion(row);
  }

  versions(name: string): ModelVersion[] {
    return (
      this.db.prepare('select * from model_versions where name = ? order by version').all(name) as Row[]
    ).map(toVersion);
  }

  /** The version in production, if any. */
  production(name: string): ModelVersion | null {
    const row = this.db
      .prepare("select * from model_versions where name = ? and stage = 'production'")
      .get(name) as Row | undefined;
    return row ? toVersion(row) : null;
  }

  /**
   * Moves a version to a stage. Production needs a passing gate report (recorded with the version); the previous
   * production version is archived in the same transaction.
   */
  transition(name: string, version: number, stage: Stage, gate?: GateReport): ModelVersion {
    this.get(name, version);
    if (stage === 'production') {
      if (!gate)
        throw new PromotionRefused(`model "${name}" version ${version}: production needs a gate report`);
      if (!gate.passed) {
        const failed = gate.checks.filter((c) => !c.passed).map((c) => `${c.name} (${c.detail})`);
        throw new PromotionRefused(
          `model "${name}" version ${version} failed the gate: ${failed.join('; ')}`,
        );
      }
    }
    this.db
      .transaction(() => {
        if (stage === 'production')
          this.db
            .prepare(
              "update model_versions set stage = 'archived' where name = ? and stage = 'production' and version != ?",
            )
            .run(name, version);
        this.db
          .prepare(
            'update model_versions set stage = ?, gate = coalesce(?, gate) where name = ? and version = ?',
          )
          .run(stage, gate ? JSON.stringify(gate) : null, name, version);
        this.logStage(name, version, stage);
      })
      .immediate();
    return this.get(name, version);
  }

  /**
   * Puts the version that was in production before the current one back in production, and archives the current
   * one, in one transaction (it passed the gate when it was promoted). Returns both.
   */
  rollback(name: string): { from: ModelVersion; to: ModelVersion } {
    const { from, to } = this.db
      .transaction(() => {
        const { current, previous } = this.rollbackPair(name);
        const to = previous.version;
        this.db
          .prepare("update model_versions set stage = 'archived' where name = ? and version = ?")
          .run(name, current.version);
        this.db
          .prepare("update model_versions set stage = 'production' where name = ? and version = ?")
          .run(name, to);
        this.logStage(name, current.version, 'archived');
        this.logStage(name, to, 'production');
        return { from: current.version, to };
      })
      .immediate();
    return { from: this.get(name, from), to: this.get(name, to) };
  }

  /** The version a rollback would put back in production (the last one before the current), without moving it. */
  previousProduction(name: string): ModelVersion {
    return this.rollbackPair(name).previous;
  }

  private rollbackPair(name: string): { current: ModelVersion; previous: ModelVersion } {
    const current = this.production(name);
    if (!current) throw new Error(`model "${name}" has no version in production to roll back from`);
    const previous = this.db
      .prepare(
        "select version from stage_history where name = ? and stage = 'production' and version != ? order by seq desc limit 1",
      )
      .get(name, current.version) as Row | undefined;
    if (!previous)
      throw new Error(
        `model "${name}": version ${current.version} is the only one that has been in production; nothing to roll back to`,
      );
    return { current, previous: this.get(name, Number(previous.version)) };
  }

  private logStage(name: string, version: number, stage: Stage): void {
    this.db
      .prepare('insert into stage_history (name, version, stage, at) values (?, ?, ?, ?)')
      .run(name, version, stage, Date.now());
  }

  /** Verifies a version's model file against the hash registered with it (before it is deployed). */
  verify(version: ModelVersion): void {
    const actual = sha256(readFileSync(join(version.artifactDir, 'model.onnx')));
    if (actual !== version.sha256)
      throw new Error(
        `model "${version.name}" version ${version.version}: model.onnx has sha256 ${actual.slice(0, 12)}…, registered ${version.sha256.slice(0, 12)}…`,
      );
  }

  close(): void {
    this.db.close();
  }
}

function toVersion(row: Row): ModelVersion {
  return {
    name: String(row.name),
    version: Number(row.version),
    stage: row.stage as Stage,
    runId: (row.run_id as string | null) ?? null,
    dataHash: String(row.data_hash),
    codeVersion: String(row.code_version),
    artifactDir: String(row.artifact_dir),
    sha256: String(row.sha256),
    metrics: JSON.parse(String(row.metrics)),
    gate: row.gate ? (JSON.parse(String(row.gate)) as GateReport) : null,
    createdAt: Number(row.created_at),
  };
}
