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

/** A model's config.json, Triton's config.pbtxt fields in JSON. */
export const ModelConfigSchema = z.object({
  name: z.string().regex(NAME, 'letters, digits, "_", "." and "-" only'),
  platform: z.enum(['onnxruntime_onnx', 'tfjs_layers']),
  max_batch_size: z.number().int().min(1),
  input: z.array(tensor).min(1),
  output: z.array(tensor).min(1),
  dynamic_batching: z
    .object({
      /** Triton's max_queue_delay_microseconds. */
      max_queue_delay_us: z.number().int().min(0).default(1000),
      /** Triton's default_queue_policy.max_queue_size. */
      max_queue_size: z.number().int().min(1).default(256),
    })
    .optional(),
  labels: z.array(z.string()).optional(),
});

export type ModelConfig = z.infer<typeof ModelConfigSchema>;

export const DATATYPE_OF = { TYPE_FP32: 'FP32', TYPE_INT32: 'INT32', TYPE_INT64: 'INT64' } as const;

/** The config, or an error naming each field that is wrong. */
export function parseModelConfig(json: unknown, where: string): ModelConfig {
  const result = ModelConfigSchema.safeParse(json);
  if (!result.success) {
    const problems = result.error.issues
      .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
      .join('; ');
    throw new Error(`${where}: invalid config: ${problems}`);
  }
  return result.data;
}
