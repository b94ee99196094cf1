import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CURRENT,
  currentVersion,
  DuckDB,
  generateEvents,
  InputError,
  partitionedEvents,
  QUERIES,
  runPipeline,
  STAGES,
  ValidationError,
} from '../src/index.js';

const CUTOFF = '2026-01-22 00:00:00';
let dir: string;
let db: DuckDB;
let small: string; // 20k events as Parquet
let large: string; // 600k events, long enough to write that the kill lands mid-write

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'data-pipeline-run-'));
  db = await DuckDB.open();
  small = join(dir, 'small.parquet');
  large = join(dir, 'large.parquet');
  await generateEvents(db, { rows: 600_000, seed: 5 });
  await db.run(`COPY events TO '${large}' (FORMAT PARQUET)`);
  await generateEvents(db, { rows: 20_000, seed: 5 });
  await db.run(`COPY events TO '${small}' (FORMAT PARQUET)`);
});
afterAll(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const count = async (from: string) =>
  ((await db.rows(`SELECT COUNT(*) AS n FROM ${from}`))[0] as { n: number }).n;

describe('a run publishes validated outputs atomically', () => {
  it('writes every table as Parquet and the events partitioned by date, which read back as the same rows', async () => {
    const out = join(dir, 'first');
    const stages: string[] = [];
    const result = await runPipeline({
      events: small,
      outDir: out,
      cutoff: CUTOFF,
      onStage: (s) => stages.push(s),
    });
    expect(stages).toEqual([...STAGES]);
    expect(currentVersion(out)).toBe('v-1');
    expect(result.rows.events).toBe(20_000);
    for (const name of QUERIES)
      expect(await count(`read_parquet('${join(out, CURRENT, `${name}.parquet`)}')`)).toBe(result.rows[name]);
    const days = readdirSync(join(out, CURRENT, 'events'));
    expect(days).toHaveLength(28);
    expect(days[0]).toBe('day=2026-01-01');
    const back = await db.rows(
      `SELECT day, COUNT(*) AS n, SUM(hash(event_id, user_id, item_id, event_type, ts, price)) AS h FROM ${partitionedEvents(join(out, CURRENT))} GROUP BY day ORDER BY day`,
    );
    const original = await db.rows(
      'SELECT CAST(ts AS DATE) AS day, COUNT(*) AS n, SUM(hash(event_id, user_id, item_id, event_type, ts, price)) AS h FROM events GROUP BY day ORDER BY day',
    );
    expect(back).toEqual(original);
  });

  it('a validation failure stops the run before it writes: the report names the rule, current does not move', async () => {
    const out = join(dir, 'invalid');
    await runPipeline({ events: small, outDir: out, cutoff: CUTOFF });
    const broken = join(dir, 'broken.parquet');
    await db.run(
      `COPY (SELECT event_id, user_id, item_id, CASE WHEN event_id % 1000 = 7 THEN 'refund' ELSE event_type END AS event_type, ts, price FROM events) TO '${broken}' (FORMAT PARQUET)`,
    );
    const error = await runPipeline({ events: broken, outDir: out, cutoff: CUTOFF }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    const [failure] = (error as ValidationError).reports[0]!.failures;
    expect(failure).toMatchObject({ table: 'events', column: 'event_type', count: 20 });
    expect(failure!.sample[0]).toMatchObject({ event_id: 7, event_type: 'refund' });
    expect(currentVersion(out)).toBe('v-1');
    expect(readdirSync(out).sort()).toEqual(['current', 'v-1']);
  });

  it('a bad input file is refused before anything is written', async () => {
    const out = join(dir, 'bad-input');
    const missing = runPipeline({ events: join(dir, 'nope.csv'), outDir: out, cutoff: CUTOFF });
    await expect(missing).rejects.toThrow(InputError);
    await expect(missing).rejects.toThrow('no such file');
    expect(existsSync(join(out, CURRENT))).toBe(false);
  });

  it('a process killed while writing leaves the previous outputs intact; the next run cleans up after it', async () => {
    const out = join(dir, 'killed');
    const first = await runPipeline({ events: small, outDir: out, cutoff: CUTOFF });
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--conditions=@mle/source', 'test/fixtures/run-child.ts', large, out, CUTOFF],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const seen: string[] = [];
    const exit = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on('exit', (_code, signal) => resolve(signal)),
    );
    // Once the outputs are valid and the first file is in the staging directory, kill without warning, as a crash
    // or the OOM killer would.
    const writing = () =>
      readdirSync(out).some((e) => e.startsWith('.staging-') && readdirSync(join(out, e)).length > 0);
    const poll = setInterval(() => {
      if (seen.includes('validate outputs') && writing()) {
        child.kill('SIGKILL');
        clearInterval(poll);
      }
    }, 2);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => seen.push(...chunk.trim().split('\n')));
    const signal = await exit;
    clearInterval(poll);
    expect(signal).toBe('SIGKILL');
    expect(seen).not.toContain('publish');
    const staging = readdirSync(out).filter((e) => e.startsWith('.staging-'));
    expect(staging).toHaveLength(1); // the half-written version the killed run left
    expect(currentVersion(out)).toBe('v-1');
    for (const name of QUERIES)
      expect(await count(`read_parquet('${join(out, CURRENT, `${name}.parquet`)}')`)).toBe(first.rows[name]);
    expect(await count(partitionedEvents(join(out, CURRENT)))).toBe(20_000);

    await runPipeline({ events: small, outDir: out, cutoff: CUTOFF });
    expect(readdirSync(out).sort()).toEqual(['current', 'v-1', 'v-2']); // staging gone, the previous kept
    expect(currentVersion(out)).toBe('v-2');
  });
});

describe('bad input gets a clear error and loads nothing', () => {
  const header = 'event_id,user_id,item_id,event_type,ts,price';
  const good = [
    '0,1,2,view,2026-01-01 00:00:01,',
    '1,1,2,purchase,2026-01-01 00:00:02,9.5',
    '2,3,4,click,2026-01-01 00:00:03,',
  ];
  const csv = (name: string, lines: string[]) => {
    const file = join(dir, name);
    writeFileSync(file, `${lines.join('\n')}\n`);
    return file;
  };
  const load = (file: string) => runPipeline({ events: file, outDir: join(dir, 'never'), cutoff: CUTOFF });

  it('a malformed row and a wrong type are reported with their line numbers', async () => {
    const file = csv('malformed.csv', [
      header,
      good[0]!,
      '1,1,2,click,2026-01-01 00:00:02',
      good[2]!,
      '3,x,4,view,2026-01-01 00:00:04,',
    ]);
    const error = (await load(file).catch((e: unknown) => e)) as InputError;
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toContain('2 malformed rows, nothing loaded');
    expect(error.message).toContain('line 3: missing columns: Expected Number of Columns: 6 Found: 5');
    expect(error.message).toMatch(
      /line 5: wrong type in user_id: .*"x".*BIGINT|line 5: wrong type in user_id: .*"x".*INTEGER/,
    );
  });

  it('schema drift: a new column or a missing one is named', async () => {
    await expect(load(csv('extra.csv', [`${header},coupon`, `${good[0]}SAVE10`]))).rejects.toThrow(
      'header schema drift: unexpected column coupon (expected event_id, user_id, item_id, event_type, ts, price)',
    );
    await expect(
      load(csv('fewer.csv', ['event_id,user_id,item_id,event_type,ts', '0,1,2,view,2026-01-01 00:00:01'])),
    ).rejects.toThrow('header schema drift: missing column price');
    const parquet = join(dir, 'drift.parquet');
    await db.run(`COPY (SELECT * EXCLUDE (price), 1 AS coupon FROM events) TO '${parquet}' (FORMAT PARQUET)`);
    await expect(load(parquet)).rejects.toThrow(
      'schema drift: missing column price; unexpected column coupon',
    );
  });

  it('a Parquet column of the wrong type is named', async () => {
    const parquet = join(dir, 'typed.parquet');
    await db.run(
      `COPY (SELECT * REPLACE (CAST(user_id AS VARCHAR) AS user_id) FROM events) TO '${parquet}' (FORMAT PARQUET)`,
    );
    await expect(load(parquet)).rejects.toThrow('wrong type: user_id is VARCHAR, expected INTEGER');
  });

  it('an empty file, a header without rows, a missing file and an unknown format', async () => {
    await expect(load(csv('blank.csv', []))).rejects.toThrow('the first line is blank: no header');
    writeFileSync(join(dir, 'zero.csv'), '');
    await expect(load(join(dir, 'zero.csv'))).rejects.toThrow('the file is empty');
    await expect(load(csv('header-only.csv', [header]))).rejects.toThrow(
      /header-only\.csv: no rows \(expected a CSV or Parquet file/,
    );
    await expect(load(join(dir, 'missing.parquet'))).rejects.toThrow(/missing\.parquet: no such file/);
    await expect(load(join(dir, 'events.json'))).rejects.toThrow('cannot read .json');
    expect(existsSync(join(dir, 'never'))).toBe(false); // no refused input created the output directory
  });
});
