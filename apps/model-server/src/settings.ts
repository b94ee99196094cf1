import { fileURLToPath } from 'node:url';
import { z } from 'zod';

const Settings = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  MODEL_REPOSITORY: z.string().default(fileURLToPath(new URL('../models', import.meta.url))),
  /** Largest request body accepted; bigger gets 413. */
  MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(4 * 1024 * 1024),
  /** Per-request deadline in the batcher; past it the answer is 504. */
  REQUEST_TIMEOUT_MS: z.coerce.number().int().min(1).default(5000),
  /** Longest one text generation may run; past it the request ends with what it has (finish reason "deadline"). */
  GENERATE_TIMEOUT_MS: z.coerce.number().int().min(1).default(60_000),
  /** How often the repository looks for new model versions; 0 turns it off. */
  POLL_MS: z.coerce.number().int().min(0).default(2000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type ServerSettings = z.infer<typeof Settings>;

/** The environment variables the server reads; turbo.json's `start.passThroughEnv` must list exactly these. */
export const SETTING_NAMES = Object.keys(Settings.shape) as (keyof ServerSettings)[];

/** Settings from environment variables, validated at start: a bad value stops the server with its name. */
export function settingsFromEnv(env: NodeJS.ProcessEnv = process.env): ServerSettings {
  const result = Settings.safeParse(env);
  if (!result.success) {
    throw new Error(
      `invalid configuration: ${result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  return result.data;
}
