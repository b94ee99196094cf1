/**
 * Text generation over HTTP, as the ecosystem speaks it:
 *   POST /v2/models/{model}/generate, /generate_stream   Triton's generate extension of the Open Inference Protocol
 *   POST /v1/completions, GET /v1/models                   OpenAI's completions API (what vLLM and TGI also serve)
 * Streams are Server-Sent Events, one event per token. A client that goes away cancels its request: the scheduler
 * frees its slot at the next step.
 */
import type { GenerationResult, Generator, ModelRepository, ServedModel } from '@mle/serving-core';
import { ServingError } from '@mle/serving-core';
import express, { type Request, type Response } from 'express';
import { z } from 'zod';
import type { Metrics } from './metrics.js';
import { RequestError } from './protocol.js';

export interface GenerationRouteOptions {
  repository: ModelRepository;
  metrics: Metrics;
  maxBodyBytes: number;
  /** How long one generation may run, ms; past it the request ends with what it has. */
  generateTimeoutMs: number;
}

const stopField = z.union([z.string().min(1), z.array(z.string().min(1)).min(1).max(4)]);

/** Triton generate's `parameters`, with the sampling settings this server honours; others are refused by name. */
const TritonParameters = z
  .object({
    max_tokens: z.number().int().min(1).optional(),
    temperature: z.number().min(0).optional(),
    top_k: z.number().int().min(1).optional(),
    top_p: z.number().gt(0).max(1).optional(),
    repetition_penalty: z.number().min(1).optional(),
    seed: z.number().int().optional(),
    stop: stopField.optional(),
  })
  .strict();

const TritonRequest = z.object({
  id: z.string().optional(),
  text_input: z.string(),
  parameters: TritonParameters.optional(),
});

/** OpenAI's completion request, with vLLM's top_k and repetition_penalty; what this server cannot do is refused. */
const CompletionRequest = z.object({
  model: z.string(),
  prompt: z.union([z.string(), z.array(z.string()).length(1)]),
  max_tokens: z.number().int().min(1).nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().gt(0).max(1).nullish(),
  top_k: z.number().int().min(1).nullish(),
  repetition_penalty: z.number().min(1).nullish(),
  seed: z.number().int().nullish(),
  stop: stopField.nullish(),
  stream: z.boolean().nullish(),
  n: z.literal(1, { message: 'only n = 1 is served' }).nullish(),
  best_of: z.literal(1, { message: 'only best_of = 1 is served' }).nullish(),
  echo: z.literal(false, { message: 'echo is not served' }).nullish(),
  logprobs: z.null({ message: 'logprobs are not served' }).nullish(),
  suffix: z.null({ message: 'suffix is not served' }).nullish(),
  frequency_penalty: z.literal(0, { message: 'use repetition_penalty' }).nullish(),
  presence_penalty: z.literal(0, { message: 'use repetition_penalty' }).nullish(),
  user: z.string().nullish(),
});

interface Settings {
  prompt: number[];
  maxTokens: number;
  sampler: { temperature: number; topK?: number; topP: number; repetitionPenalty: number; seed: number };
  stops: string[];
}

/** Parses a body with a schema; a failure is a 400 naming every field that is wrong. */
function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body);
  if (!result.success)
    throw new RequestError(
      result.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; '),
    );
  return result.data;
}

/** The request's settings over the model's defaults, its prompt encoded; a 400 naming what the model cannot take. */
function settingsFor(
  model: ServedModel,
  text: string,
  given: {
    max_tokens?: number | null;
    temperature?: number | null;
    top_k?: number | null;
    top_p?: number | null;
    repetition_penalty?: number | null;
    seed?: number | null;
    stop?: string | string[] | null;
  },
): Settings {
  const generation = model.config.generation!;
  const { tokenizer } = model.generator!;
  let prompt: number[];
  try {
    prompt = tokenizer.encode(text);
  } catch (error) {
    throw new RequestError(`prompt: ${(error as Error).message}`);
  }
  if (prompt.length === 0)
    throw new RequestError('prompt: empty; give at least one character to continue from');
  const defaults = generation.defaults;
  const maxTokens = given.max_tokens ?? defaults.max_tokens;
  const limit = generation.max_tokens_limit ?? generation.context_length;
  if (maxTokens > limit)
    throw new RequestError(`max_tokens: ${maxTokens} is over this model's limit of ${limit}`);
  const topK = given.top_k ?? defaults.top_k;
  if (topK !== undefined && topK > tokenizer.vocabSize)
    throw new RequestError(`top_k: ${topK} is more than the model's ${tokenizer.vocabSize} tokens`);
  return {
    prompt,
    maxTokens,
    sampler: {
      temperature: given.temperature ?? defaults.temperature,
      ...(topK !== undefined ? { topK } : {}),
      topP: given.top_p ?? defaults.top_p,
      repetitionPenalty: given.repetition_penalty ?? defaults.repetition_penalty,
      seed: given.seed ?? 0,
    },
    stops: given.stop === undefined || given.stop === null ? [] : [given.stop].flat(),
  };
}

/**
 * Text as it may be shown: the generated text cut before the first stop sequence, and while none has appeared, held
 * back by the longest ending that could still grow into one (so a stream never shows part of a stop sequence).
 */
function visibleText(text: string, stops: readonly string[], finished: boolean): string {
  let cut = text.length;
  for (const stop of stops) {
    const at = text.indexOf(stop);
    if (at >= 0) cut = Math.min(cut, at);
  }
  if (cut < text.length || finished) return text.slice(0, cut);
  let held = 0;
  for (const stop of stops)
    for (let k = Math.min(stop.length - 1, text.length); k > held; k--)
      if (text.endsWith(stop.slice(0, k))) {
        held = k;
        break;
      }
  return text.slice(0, text.length - held);
}

/** Runs one generation for an HTTP request, streaming the visible text as it grows, cancelled if the client leaves. */
async function run(
  model: ServedModel,
  settings: Settings,
  res: Response,
  options: GenerationRouteOptions,
  onText?: (delta: string) => void,
): Promise<GenerationResult & { text: string }> {
  const { scheduler, tokenizer }: Generator = model.generator!;
  const abort = new AbortController();
  // The response closes before it has ended only when the client went away.
  const gone = () => {
    if (!res.writableEnded) abort.abort();
  };
  res.on('close', gone);
  let shown = 0;
  const tokens: number[] = [];
  const stopped = (generated: readonly number[]) => {
    const text = tokenizer.decode(generated);
    return settings.stops.some((stop) => text.includes(stop));
  };
  try {
    const result = await scheduler.submit({
      prompt: settings.prompt,
      maxTokens: settings.maxTokens,
      sampler: settings.sampler,
      deadline: performance.now() + options.generateTimeoutMs,
      signal: abort.signal,
      ...(settings.stops.length > 0 ? { stop: stopped } : {}),
      onToken: (token) => {
        tokens.push(token);
        if (!onText) return;
        const visible = visibleText(tokenizer.decode(tokens), settings.stops, false);
        if (visible.length > shown) {
          onText(visible.slice(shown));
          shown = visible.length;
        }
      },
    });
    const text = visibleText(tokenizer.decode(result.tokens), settings.stops, true);
    if (onText && text.length > shown) onText(text.slice(shown));
    options.metrics.generated.inc({ model: model.name, finish: result.finishReason }, result.tokens.length);
    return { ...result, text };
  } finally {
    res.off('close', gone);
  }
}

function generative(repository: ModelRepository, name: string, res: Response): ServedModel {
  res.locals.model = name;
  const model = repository.get(name);
  if (!model.generator)
    throw new RequestError(
      `model ${name} does not generate text; it takes tensors: POST /v2/models/${name}/infer`,
    );
  return model;
}

/** Server-Sent Events on `res`: headers now, then `send` per event. */
function eventStream(res: Response) {
  res.status(200);
  res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
  res.setHeader('Cache-Control', 'no-cache');
  res.setHeader('X-Accel-Buffering', 'no');
  res.flushHeaders();
  return {
    send(data: unknown, event?: string) {
      if (res.writableEnded || res.destroyed) return;
      res.write(
        `${event ? `event: ${event}\n` : ''}data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`,
      );
    },
  };
}

/** How one API shapes its answers. */
interface AnswerShape {
  stream: boolean;
  /** The whole answer, when not streaming. */
  whole: (result: GenerationResult & { text: string }) => unknown;
  /** An event carrying new text. */
  delta: (text: string) => unknown;
  /** The events that end a stream. */
  final: (result: GenerationResult & { text: string }) => unknown[];
  /** The last event of a stream that failed after it opened (its status is already sent). */
  error: (message: string) => unknown;
}

/**
 * Runs a generation and answers it: one JSON body, or Server-Sent Events opened on the first token (so a refusal, a
 * full queue or a shutdown, still gets its status), an event per piece of new text and the closing ones after it.
 */
async function answer(
  model: ServedModel,
  settings: Settings,
  res: Response,
  options: GenerationRouteOptions,
  shape: AnswerShape,
): Promise<void> {
  if (!shape.stream) {
    const result = await run(model, settings, res, options);
    if (result.finishReason === 'shutdown' && result.tokens.length === 0)
      throw new ServingError('SHUTTING_DOWN', `model ${model.name}: shutting down`);
    res.json(shape.whole(result));
    return;
  }
  let stream: ReturnType<typeof eventStream> | undefined;
  const open = () => {
    stream ??= eventStream(res);
    return stream;
  };
  try {
    const result = await run(model, settings, res, options, (delta) => open().send(shape.delta(delta)));
    for (const event of shape.final(result)) open().send(event);
  } catch (error) {
    if (!stream) throw error;
    stream.send(shape.error(error instanceof Error ? error.message : String(error)), 'error');
  }
  res.end();
}

export function generationRouter(options: GenerationRouteOptions): express.Router {
  const { repository } = options;
  const router = express.Router();
  const json = express.json({ limit: options.maxBodyBytes, type: () => true });
  const started = Math.floor(Date.now() / 1000);
  const route = (name: string) => (_req: Request, res: Response, next: () => void) => {
    res.locals.route = name;
    next();
  };

  const triton = (streaming: boolean) => async (req: Request, res: Response) => {
    const model = generative(repository, req.params.name as string, res);
    const body = parse(TritonRequest, req.body);
    const settings = settingsFor(model, body.text_input, body.parameters ?? {});
    const head = {
      model_name: model.name,
      model_version: String(model.version),
      ...(body.id ? { id: body.id } : {}),
    };
    await answer(model, settings, res, options, {
      stream: streaming,
      whole: (result) => ({
        ...head,
        text_output: result.text,
        finish_reason: result.finishReason,
        usage: usage(settings, result),
      }),
      delta: (text) => ({ ...head, text_output: text }),
      final: (result) => [
        { ...head, text_output: '', finish_reason: result.finishReason, usage: usage(settings, result) },
      ],
      error: (message) => ({ error: message }),
    });
  };
  router.post(
    ['/v2/models/:name/generate', '/v2/models/:name/versions/:version/generate'],
    route('generate'),
    json,
    triton(false),
  );
  router.post(
    ['/v2/models/:name/generate_stream', '/v2/models/:name/versions/:version/generate_stream'],
    route('generate_stream'),
    json,
    triton(true),
  );

  router.get('/v1/models', route('openai_models'), (_req, res) => {
    res.json({
      object: 'list',
      data: repository
        .status()
        .filter((s) => s.state === 'READY' && repository.get(s.name).generator)
        .map((s) => ({ id: s.name, object: 'model', created: started, owned_by: 'mle-learner' })),
    });
  });

  let completions = 0;
  router.post('/v1/completions', route('openai_completions'), json, async (req, res) => {
    const body = parse(CompletionRequest, req.body);
    const model = generative(repository, body.model, res);
    const text = typeof body.prompt === 'string' ? body.prompt : body.prompt[0]!;
    // OpenAI's own default is 16 tokens; a model's config may set another.
    const settings = settingsFor(model, text, body);
    const id = `cmpl-${started.toString(36)}${(++completions).toString(36)}`;
    const created = Math.floor(Date.now() / 1000);
    const chunk = (choice: { text: string; finish_reason: string | null }) => ({
      id,
      object: 'text_completion',
      created,
      model: model.name,
      choices: [{ index: 0, logprobs: null, ...choice }],
    });
    await answer(model, settings, res, options, {
      stream: body.stream === true,
      whole: (result) => ({
        ...chunk({ text: result.text, finish_reason: result.finishReason }),
        usage: usage(settings, result),
      }),
      delta: (text) => chunk({ text, finish_reason: null }),
      final: (result) => [chunk({ text: '', finish_reason: result.finishReason }), '[DONE]'],
      error: (message) => ({ error: { message, type: 'server_error' } }),
    });
  });
  return router;
}

function usage(settings: Settings, result: GenerationResult) {
  return {
    prompt_tokens: settings.prompt.length,
    completion_tokens: result.tokens.length,
    total_tokens: settings.prompt.length + result.tokens.length,
  };
}
