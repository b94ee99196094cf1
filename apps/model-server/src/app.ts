import { readFileSync } from 'node:fs';
import { type ModelRepository, type ServedModel, ServingError } from '@mle/serving-core';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import { generationRouter } from './generate.js';
import type { Metrics } from './metrics.js';
import {
  type DecodedRequest,
  decodeBinaryRequest,
  decodeInputs,
  encodeOutput,
  RequestError,
} from './protocol.js';

export interface ServerOptions {
  repository: ModelRepository;
  logger: Logger;
  metrics: Metrics;
  maxBodyBytes: number;
  requestTimeoutMs: number;
  /** How long one text generation may run, ms. */
  generateTimeoutMs?: number;
  /** Folder of the demo page (index.html, app.js); omitted in tests that do not need it. */
  webRoot?: string;
}

const STATUS: Record<ServingError['code'], number> = {
  INVALID_INPUT: 400,
  MODEL_NOT_FOUND: 404,
  MODEL_NOT_READY: 503,
  OVERLOADED: 503,
  SHUTTING_DOWN: 503,
  DEADLINE_EXCEEDED: 504,
  INFERENCE_FAILED: 500,
};

const VERSION = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
  .version as string;

/**
 * The HTTP shell over @mle/serving-core: Open Inference Protocol v2 REST routes, the demo page, /metrics.
 * A factory, so tests run it in-process on an ephemeral port.
 */
export function createServer(options: ServerOptions): express.Express {
  const { repository, logger, metrics } = options;
  // Deadlines are compared by the batchers on the repository's clock, so they are set on it too.
  const { clock } = repository;
  const app = express();
  app.disable('x-powered-by');
  let nextId = 0;

  app.use((req, res, next) => {
    const id = (req.headers['x-request-id'] as string | undefined) ?? `r${++nextId}`;
    const started = clock.now();
    res.setHeader('x-request-id', id);
    res.on('finish', () => {
      const ms = clock.now() - started;
      const route = (res.locals.route as string | undefined) ?? 'other';
      const model = (res.locals.model as string | undefined) ?? '';
      metrics.requests.inc({ route, model, status: res.statusCode });
      metrics.latency.observe({ route, model, status: res.statusCode }, ms / 1000);
      logger.info(
        {
          reqId: id,
          method: req.method,
          url: req.originalUrl,
          status: res.statusCode,
          ms: Number(ms.toFixed(2)),
        },
        'request',
      );
    });
    next();
  });

  const route = (name: string) => (_req: Request, res: Response, next: NextFunction) => {
    res.locals.route = name;
    next();
  };

  app.get('/v2', route('server'), (_req, res) => {
    res.json({ name: 'mle-model-server', version: VERSION, extensions: ['binary_tensor_data'] });
  });
  app.get('/v2/health/live', route('live'), (_req, res) => {
    res.json({ live: true });
  });
  app.get('/v2/health/ready', route('ready'), (_req, res) => {
    res.status(repository.ready ? 200 : 503).json({ ready: repository.ready, models: repository.status() });
  });

  const served = (req: Request, res: Response): ServedModel => {
    const name = req.params.name as string;
    res.locals.model = name;
    const model = repository.get(name);
    const version = req.params.version as string | undefined;
    if (version !== undefined && version !== String(model.version)) {
      throw new ServingError(
        'MODEL_NOT_FOUND',
        `model ${name} version ${version} is not available (serving version ${model.version})`,
      );
    }
    return model;
  };

  const metadata = (req: Request, res: Response) => {
    const model = served(req, res);
    res.json({
      name: model.name,
      versions: [String(model.version)],
      platform: model.platform,
      inputs: model.signature.inputs.map((t) => ({ name: t.name, datatype: t.datatype, shape: t.shape })),
      outputs: model.signature.outputs.map((t) => ({ name: t.name, datatype: t.datatype, shape: t.shape })),
      ...(model.config.labels ? { parameters: { labels: model.config.labels } } : {}),
    });
  };
  app.get(['/v2/models/:name', '/v2/models/:name/versions/:version'], route('metadata'), metadata);

  const ready = (req: Request, res: Response) => {
    served(req, res);
    res.json({ name: req.params.name, ready: true });
  };
  app.get(
    ['/v2/models/:name/ready', '/v2/models/:name/versions/:version/ready'],
    route('model_ready'),
    ready,
  );

  // JSON bodies, or a JSON header followed by raw tensor bytes when Inference-Header-Content-Length is set.
  const json = express.json({ limit: options.maxBodyBytes, type: () => true });
  const raw = express.raw({ limit: options.maxBodyBytes, type: () => true });
  const body = (req: Request, res: Response, next: NextFunction) =>
    (req.headers['inference-header-content-length'] === undefined ? json : raw)(req, res, next);
  const infer = async (req: Request, res: Response) => {
    const model = served(req, res);
    if (!model.batcher)
      throw new RequestError(
        `model ${model.name} generates text; it takes no tensors: POST /v2/models/${model.name}/generate`,
      );
    const headerLength = req.headers['inference-header-content-length'];
    const request =
      headerLength === undefined
        ? decodeInputs(req.body)
        : decodeBinaryRequest(req.body as Buffer, Number(headerLength));
    checkAgainstSignature(model, request);
    const inputs = model.signature.inputs.map((spec) => request.inputs.find((t) => t.name === spec.name)!);
    const outputs = await model.batcher.infer({ inputs, deadline: clock.now() + options.requestTimeoutMs });
    model.monitor?.record(inputs, outputs);
    const wanted = request.outputs;
    const selected = wanted ? outputs.filter((o) => wanted.includes(o.name)) : outputs;
    const head = {
      model_name: model.name,
      model_version: String(model.version),
      ...(request.id ? { id: request.id } : {}),
    };
    if (!request.binaryOutput) {
      res.json({ ...head, outputs: selected.map(encodeOutput) });
      return;
    }
    const blobs = selected.map((o) => Buffer.from(o.data.buffer, o.data.byteOffset, o.data.byteLength));
    const header = Buffer.from(
      JSON.stringify({
        ...head,
        outputs: selected.map((o, i) => ({
          name: o.name,
          datatype: o.datatype,
          shape: o.shape,
          parameters: { binary_data_size: blobs[i]!.length },
        })),
      }),
    );
    res.setHeader('Inference-Header-Content-Length', String(header.length));
    res.type('application/octet-stream').send(Buffer.concat([header, ...blobs]));
  };
  app.post(
    ['/v2/models/:name/infer', '/v2/models/:name/versions/:version/infer'],
    route('infer'),
    body,
    infer,
  );

  // Histograms of the traffic (never the requests themselves), for a drift job to compare with training data.
  app.get('/v2/models/:name/stats', route('stats'), (req, res) => {
    const model = served(req, res);
    if (!model.monitor)
      throw new ServingError(
        'MODEL_NOT_FOUND',
        `model ${model.name} keeps no traffic statistics (its config.json has no monitoring section)`,
      );
    res.json({ name: model.name, version: String(model.version), ...model.monitor.snapshot() });
  });

  app.use(
    generationRouter({
      repository,
      metrics,
      maxBodyBytes: options.maxBodyBytes,
      generateTimeoutMs: options.generateTimeoutMs ?? 60_000,
    }),
  );

  app.get('/metrics', route('metrics'), async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  if (options.webRoot)
    app.use('/', route('page'), express.static(options.webRoot, { index: 'index.html', maxAge: '1h' }));

  app.use(route('not_found'), (req: Request, res: Response) => {
    res.status(404).json({ error: `no route ${req.method} ${req.path}` });
  });

  // Every failure ends here and becomes a JSON {"error": "..."} with the status its kind calls for.
  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const { status, message, retryAfter } = classify(error);
    if (retryAfter) res.setHeader('Retry-After', String(retryAfter));
    if (status >= 500) logger.warn({ err: error }, 'request failed');
    // OpenAI's routes answer in OpenAI's error shape, which its clients read.
    if (req.path.startsWith('/v1/'))
      res.status(status).json({
        error: {
          message,
          type: status >= 500 ? 'server_error' : 'invalid_request_error',
          param: null,
          code: null,
        },
      });
    else res.status(status).json({ error: message });
  });
  return app;
}

function classify(error: unknown): { status: number; message: string; retryAfter?: number } {
  if (error instanceof ServingError) {
    return {
      status: STATUS[error.code],
      message: error.message,
      ...(error.code === 'OVERLOADED' ? { retryAfter: 1 } : {}),
    };
  }
  if (error instanceof RequestError) return { status: 400, message: error.message };
  const e = error as { type?: string; status?: number; message?: string; limit?: number };
  if (e.type === 'entity.too.large')
    return { status: 413, message: `request body larger than the ${e.limit} byte limit` };
  if (e.type === 'entity.parse.failed') return { status: 400, message: `malformed JSON: ${e.message}` };
  if (typeof e.status === 'number' && e.status >= 400 && e.status < 500)
    return { status: e.status, message: e.message ?? 'bad request' };
  return { status: 500, message: 'internal error' };
}

/**
 * Inputs must be the model's, with its datatypes and its non-batch dimensions; requested outputs must be the
 * model's (a server that answered an unknown output with nothing would hide the client's typo).
 */
function checkAgainstSignature(model: ServedModel, request: DecodedRequest): void {
  const { inputs } = request;
  const outputs = model.signature.outputs.map((s) => s.name);
  request.outputs?.forEach((name, i) => {
    if (!outputs.includes(name))
      throw new RequestError(
        `outputs[${i}].name: model ${model.name} has no output "${name}" (it has ${outputs.join(', ')})`,
      );
  });
  const names = model.signature.inputs.map((s) => s.name);
  for (const t of inputs) {
    if (!names.includes(t.name))
      throw new RequestError(
        `inputs: model ${model.name} has no input "${t.name}" (it takes ${names.join(', ')})`,
      );
  }
  for (const spec of model.signature.inputs) {
    const t = inputs.find((i) => i.name === spec.name);
    if (!t) throw new RequestError(`inputs: missing "${spec.name}" for model ${model.name}`);
    if (t.datatype !== spec.datatype)
      throw new RequestError(`inputs (${spec.name}).datatype: ${t.datatype}, model expects ${spec.datatype}`);
    const dims = spec.shape.slice(1);
    const given = t.shape.slice(1);
    if (t.shape.length !== spec.shape.length || dims.some((d, i) => d !== -1 && d !== given[i])) {
      throw new RequestError(
        `inputs (${spec.name}).shape: [${t.shape}], model expects [batch, ${dims.map((d) => (d === -1 ? '?' : d)).join(', ')}]`,
      );
    }
  }
}
