import { z } from 'zod';

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** True for a name that can be a model directory: no separators, no "..", no hidden files. */
export const isValidModelName = (name: string): boolean => NAME.test(name) && !name.includes('..');

const tensor = z.object({
  name: z.string().min(1),
  data_type: z.enum(['TYPE_FP32', 'TYPE_INT32', 'TYPE_INT64']),
  /** Dimensions after the batch dimension; -1 for a variable one. */
  dims: z.array(z.number().int().min(-1)),
});

/**
 * How a language model generates: its tokenizer, context, scheduling and default sampling. A model with this
 * section is served by the generate routes, its max_batch_size being the number of sequences decoded together.
 */
const generation = z.object({
  /** One token per character: token i is the i-th character (code point) of the alphabet. */
  tokenizer: z.object({ type: z.literal('characters'), alphabet: z.string().min(1) }),
  context_length: z.number().int().min(2),
  scheduling: z.enum(['continuous', 'request-level', 'sequential']).default('continuous'),
  /** Requests allowed to wait for a slot. */
  max_queue_size: z.number().int().min(1).default(256),
  /** The most new tokens one request may ask for. */
  max_tokens_limit: z.number().int().min(1).optional(),
  /** What a request gets for each setting it leaves out. */
  defaults: z
    .object({
      max_tokens: z.number().int().min(1).default(64),
      temperature: z.number().min(0).default(1),
      top_k: z.number().int().min(1).optional(),
      top_p: z.number().gt(0).max(1).default(1),
      repetition_penalty: z.number().min(1).default(1),
    })
    .prefault({}),
});

export type GenerationConfig = z.infer<typeof generation>;

/** A model's config.json, Triton's config.pbtxt fields in JSON. */
export const ModelConfigSchema = z.object({
  name: z.string().regex(NAME, 'letters, digits, "_", "." and "-" only'),
  platform: z.enum(['onnxruntime_onnx', 'tfjs_layers']),
  max_batch_size: z.number().int().min(1),
  /** The tensors of a model served by /infer; a generative model's are its own business. */
  input: z.array(tensor).default([]),
  output: z.array(tensor).default([]),
  generation: generation.optional(),
  dynamic_batching: z
    .object({
      /** Triton's max_queue_delay_microseconds. */
      max_queue_delay_us: z.number().int().min(0).default(1000),
      /** Triton's default_queue_policy.max_queue_size. */
      max_queue_size: z.number().int().min(1).default(256),
    })
    .optional(),
  labels: z.array(z.string()).optional(),
  /**
   * Triton's version_policy: serve the latest version directory (the default), or a specific one — how a
   * rollback pins the previous version without deleting the newer one.
   */
  version_policy: z
    .union([
      z.object({ latest: z.object({ num_versions: z.literal(1) }) }).strict(),
      z.object({ specific: z.object({ versions: z.array(z.number().int().min(1)).length(1) }) }).strict(),
    ])
    .optional(),
  /** Summary statistics of traffic (per-feature histograms; never the inputs themselves) for drift monitoring. */
  monitoring: z
    .object({
      window_rows: z.number().int().min(1).default(5000),
      segments: z.number().int().min(1).default(10),
      bins: z
        .object({ min: z.number(), max: z.number(), count: z.number().int().min(2).max(256) })
        .refine((b) => b.max > b.min, 'max must be greater than min'),
    })
    .optional(),
});

export type ModelConfig = z.infer<typeof ModelConfigSchema>;

export const DATATYPE_OF = { TYPE_FP32: 'FP32', TYPE_INT32: 'INT32', TYPE_INT64: 'INT64' } as const;

/** The config, or an error naming each field that is wrong. */
export function parseModelConfig(json: unknown, where: string): ModelConfig {
  const result = ModelConfigSchema.safeParse(json);
  const problems = result.success
    ? []
    : result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
  // Checked here rather than in the schema, so it is reported beside the schema's own problems.
  const given = (json ?? {}) as Record<string, unknown>;
  if (given.generation === undefined)
    for (const key of ['input', 'output'])
      if (!Array.isArray(given[key]) || (given[key] as unknown[]).length === 0)
        problems.push(`${key}: at least one ${key} (or a generation section)`);
  if (problems.length > 0) throw new Error(`${where}: invalid config: ${[...new Set(problems)].join('; ')}`);
  return result.data!;
}
