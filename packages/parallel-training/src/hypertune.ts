import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** Where cloudml-hypertune writes unless CLOUD_ML_HP_METRIC_FILE says otherwise (a tuning service's agent reads it). */
export const DEFAULT_METRIC_FILE = '/tmp/hypertune/output.metrics';
const KEEP = 100;

/**
 * Reports one evaluation the way Google's cloudml-hypertune library does, so Vertex AI's hyperparameter tuning (and
 * AI Platform before it) reads it from a custom container: a JSON object per line with the metric under its tag,
 * the trial (CLOUD_ML_TRIAL_ID), the step and a timestamp, values as strings, keys sorted; the file holds the latest
 * 100 entries. Returns the line.
 */
export function reportHypertuneMetric(
  tag: string,
  value: number,
  step: number,
  env: NodeJS.ProcessEnv = process.env,
): string {
  if (!Number.isFinite(value)) throw new RangeError(`metric "${tag}" must be a finite number, got ${value}`);
  const file = env.CLOUD_ML_HP_METRIC_FILE || DEFAULT_METRIC_FILE;
  const entry: Record<string, string | number> = {
    global_step: String(Math.trunc(step)),
    [tag]: String(value),
    timestamp: Date.now() / 1000,
    trial: String(env.CLOUD_ML_TRIAL_ID ?? 0),
  };
  const line = JSON.stringify(Object.fromEntries(Object.entries(entry).sort(([a], [b]) => (a < b ? -1 : 1))));
  mkdirSync(dirname(file), { recursive: true });
  let previous: string[] = [];
  try {
    previous = readFileSync(file, 'utf8').split('\n').filter(Boolean);
  } catch {
    // no file yet
  }
  writeFileSync(file, `${[...previous, line].slice(-KEEP).join('\n')}\n`);
  return line;
}
