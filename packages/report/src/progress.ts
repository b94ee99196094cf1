import { Presets, SingleBar } from 'cli-progress';

export interface ProgressOptions {
  total: number;
  label: string;
  /** Where the bar is drawn. Default process.stderr, so stdout stays clean for --json output. */
  stream?: NodeJS.WriteStream;
  /** Override the environment check; by default the bar shows only on a TTY with CI unset. */
  enabled?: boolean;
}

/** Values shown after the bar, e.g. { loss: '0.231' }. */
export type ProgressFields = Record<string, string | number>;

export interface Progress {
  readonly enabled: boolean;
  increment(step?: number, fields?: ProgressFields): void;
  update(value: number, fields?: ProgressFields): void;
  stop(): void;
}

/** Progress bars are for people watching a terminal: silent in pipes, logs and CI. */
export function progressEnabled(stream: NodeJS.WriteStream = process.stderr, env = process.env): boolean {
  return stream.isTTY === true && !env.CI;
}

/** A progress bar for long loops; a no-op when progressEnabled() is false. */
export function createProgress(options: ProgressOptions): Progress {
  const stream = options.stream ?? process.stderr;
  const enabled = options.enabled ?? progressEnabled(stream);
  if (!enabled) return { enabled, increment() {}, update() {}, stop() {} };
  const bar = new SingleBar(
    {
      format: `${options.label} {bar} {value}/{total} {percentage}% eta {eta_formatted} {fields}`,
      stream,
      hideCursor: true,
      clearOnComplete: false,
      etaBuffer: 50,
    },
    Presets.shades_classic,
  );
  bar.start(options.total, 0, { fields: '' });
  const show = (fields?: ProgressFields) =>
    fields
      ? {
          fields: Object.entries(fields)
            .map(([k, v]) => `${k} ${v}`)
            .join('  '),
        }
      : undefined;
  return {
    enabled,
    increment: (step = 1, fields) => bar.increment(step, show(fields)),
    update: (value, fields) => bar.update(value, show(fields)),
    stop: () => bar.stop(),
  };
}
