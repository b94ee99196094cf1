import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalJson, hashFiles, sha256 } from './hash.js';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A finished step's output: its directory and the hash of its contents (what downstream steps are keyed on). */
export interface Artifact {
  dir: string;
  hash: string;
}

export interface StepContext {
  params: Json;
  /** The outputs of the steps this one needs, by step name. */
  inputs: Record<string, Artifact>;
  /** An empty directory to write this step's files into; it becomes the artifact only if `run` returns. */
  out: string;
}

/** One step of a pipeline: what it needs, its parameters and code version, and how it makes its files. */
export interface Step {
  name: string;
  needs?: readonly string[];
  params?: Json;
  /** Bump when the step's code changes: it is part of the cache key, as the code is part of the result. */
  version: string;
  /**
   * A step whose effect is outside its artifact (a registry, a server's model repository): it runs on every run,
   * must be idempotent, and its artifact records what it did.
   */
  always?: boolean;
  run(ctx: StepContext): void | Promise<void>;
}

/** What an artifact directory records about itself (MANIFEST.json, not hashed). */
export interface Manifest {
  step: string;
  key: string;
  version: string;
  params: Json;
  inputs: Record<string, string>;
  files: Record<string, string>;
  hash: string;
}

export class CorruptArtifactError extends Error {
  override name = 'CorruptArtifactError';
}

const MANIFEST = 'MANIFEST.json';

/** Checks names, dependencies and cycles; returns the steps in an order where every step follows what it needs. */
export function planPipeline(steps: readonly Step[]): Step[] {
  const byName = new Map<string, Step>();
  for (const s of steps) {
    if (!/^[a-z][a-z0-9-]*$/.test(s.name))
      throw new Error(
        `step "${s.name}": a name is lower-case letters, digits and dashes, starting with a letter`,
      );
    if (byName.has(s.name)) throw new Error(`step "${s.name}" is defined twice`);
    byName.set(s.name, s);
  }
  for (const s of steps)
    for (const need of s.needs ?? [])
      if (!byName.has(need))
        throw new Error(`step "${s.name}" needs "${need}", which is not a step of this pipeline`);
  const order: Step[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (s: Step, path: string[]) => {
    if (state.get(s.name) === 'done') return;
    if (state.get(s.name) === 'visiting')
      throw new Error(`the pipeline has a cycle: ${[...path, s.name].join(' → ')}`);
    state.set(s.name, 'visiting');
    for (const need of s.needs ?? []) visit(byName.get(need)!, [...path, s.name]);
    state.set(s.name, 'done');
    order.push(s);
  };
  for (const s of steps) visit(s, []);
  return order;
}

/** The step and everything downstream of it (what `--from STEP` reruns). */
export function downstreamOf(steps: readonly Step[], name: string): Set<string> {
  if (!steps.some((s) => s.name === name)) throw new Error(`no step named "${name}"`);
  const out = new Set([name]);
  for (const s of planPipeline(steps)) if ((s.needs ?? []).some((n) => out.has(n))) out.add(s.name);
  return out;
}

/** Reads and verifies an artifact: every file present with the hash its manifest records, and nothing else. */
export function verifyArtifact(dir: string): Manifest {
  const manifest = JSON.parse(readFileSync(join(dir, MANIFEST), 'utf8')) as Manifest;
  const actual = hashFiles(dir, new Set([MANIFEST]));
  for (const [file, hash] of Object.entries(manifest.files)) {
    if (!(file in actual))
      throw new CorruptArtifactError(`artifact ${dir} of step "${manifest.step}": ${file} is missing`);
    if (actual[file] !== hash)
      throw new CorruptArtifactError(
        `artifact ${dir} of step "${manifest.step}": ${file} has sha256 ${actual[file]!.slice(0, 12)}…, its manifest says ${hash.slice(0, 12)}…`,
      );
  }
  const extra = Object.keys(actual).filter((f) => !(f in manifest.files));
  if (extra.length > 0)
    throw new CorruptArtifactError(`artifact ${dir} of step "${manifest.step}": unexpected file ${extra[0]}`);
  if (sha256(canonicalJson(manifest.files)) !== manifest.hash)
    throw new CorruptArtifactError(
      `artifact ${dir} of step "${manifest.step}": its manifest's hash does not match its files`,
    );
  return manifest;
}

export type StepStatus = 'cached' | 'ran';
export interface StepReport {
  step: string;
  status: StepStatus;
  key: string;
  hash: string;
  dir: string;
  ms: number;
}

/** The directory of a step's artifact among a run's reports; an error naming the step if the run has none. */
export function artifactOf(reports: readonly StepReport[], step: string): string {
  const report = reports.find((r) => r.step === step);
  if (!report)
    throw new Error(`this run has no step "${step}" (it has ${reports.map((r) => r.step).join(', ')})`);
  return report.dir;
}

export type PipelineEvent =
  | { type: 'start'; step: string; index: number; total: number }
  | { type: 'finish'; report: StepReport; index: number; total: number };

export interface RunOptions {
  /** Where artifacts live: <root>/artifacts/<step>/<key>/. */
  root: string;
  /** Rerun this step and everything downstream of it, cached or not (DVC's `repro --downstream`-like `--from`). */
  from?: string;
  /** Rerun these steps even if cached; downstream steps rerun only if the output changed. */
  force?: readonly string[];
  onEvent?: (event: PipelineEvent) => void;
}

/** Removes scratch directories left by runs that died (their process is gone); never another live run's. */
function sweepScratch(tmp: string): void {
  if (!existsSync(tmp)) return;
  for (const name of readdirSync(tmp)) {
    const pid = Number(name.split('.')[1]);
    let alive = false;
    try {
      process.kill(pid, 0);
      alive = true;
    } catch {
      // ESRCH: the process that wrote it is gone
    }
    if (!alive || pid === process.pid) rmSync(join(tmp, name), { recursive: true, force: true });
  }
}

/**
 * Moves a finished scratch directory into place. If another run published the same key first, its artifact (the
 * same bytes, by construction) is kept and ours dropped; a forced rerun replaces what is there.
 */
function publish(scratch: string, dir: string, replace: boolean): void {
  if (existsSync(dir) && replace) rmSync(dir, { recursive: true });
  try {
    renameSync(scratch, dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw error;
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * Runs the steps in dependency order. Each step's output is content-addressed: its key is the hash of its name, code
 * version, parameters and the content hashes of its inputs, and it is written to a scratch directory, hashed, and
 * renamed into place only when complete, so an unchanged step is skipped on the next run, a crash leaves no
 * half-written artifact (the next run starts that step again), and the same run twice gives the same bytes. A
 * cached artifact is verified before use: a file changed since it was written is an error that names it.
 */
export async function runPipeline(steps: readonly Step[], options: RunOptions): Promise<StepReport[]> {
  const order = planPipeline(steps);
  const rerun = new Set([
    ...(options.from ? downstreamOf(steps, options.from) : []),
    ...(options.force ?? []),
  ]);
  for (const name of options.force ?? [])
    if (!steps.some((s) => s.name === name)) throw new Error(`no step named "${name}"`);
  const tmp = join(options.root, 'tmp');
  sweepScratch(tmp);
  const done = new Map<string, Artifact>();
  const reports: StepReport[] = [];
  for (const [index, step] of order.entries()) {
    const started = performance.now();
    options.onEvent?.({ type: 'start', step: step.name, index, total: order.length });
    const inputs = Object.fromEntries((step.needs ?? []).map((n) => [n, done.get(n)!]));
    const inputHashes = Object.fromEntries(Object.entries(inputs).map(([n, a]) => [n, a.hash]));
    const params = step.params ?? null;
    const key = sha256(
      canonicalJson({ step: step.name, version: step.version, params, inputs: inputHashes }),
    ).slice(0, 24);
    const dir = join(options.root, 'artifacts', step.name, key);
    let status: StepStatus = 'cached';
    const replace = rerun.has(step.name) || step.always === true;
    if (replace || !existsSync(join(dir, MANIFEST))) {
      status = 'ran';
      const scratch = join(tmp, `${step.name}.${process.pid}.${randomBytes(4).toString('hex')}`);
      mkdirSync(scratch, { recursive: true });
      try {
        await step.run({ params, inputs, out: scratch });
        const files = hashFiles(scratch);
        if (MANIFEST in files)
          throw new Error(`step "${step.name}" wrote ${MANIFEST}, a name the pipeline reserves`);
        const manifest: Manifest = {
          step: step.name,
          key,
          version: step.version,
          params,
          inputs: inputHashes,
          files,
          hash: sha256(canonicalJson(files)),
        };
        writeFileSync(join(scratch, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
        mkdirSync(join(options.root, 'artifacts', step.name), { recursive: true });
        publish(scratch, dir, replace);
      } catch (error) {
        rmSync(scratch, { recursive: true, force: true });
        throw error instanceof Error && !error.message.startsWith(`step "${step.name}"`)
          ? new Error(`step "${step.name}" failed: ${error.message}`, { cause: error })
          : error;
      }
    }
    const manifest = verifyArtifact(dir);
    done.set(step.name, { dir, hash: manifest.hash });
    const report = {
      step: step.name,
      status,
      key,
      hash: manifest.hash,
      dir,
      ms: performance.now() - started,
    };
    reports.push(report);
    options.onEvent?.({ type: 'finish', report, index, total: order.length });
  }
  return reports;
}
