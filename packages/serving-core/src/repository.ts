import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DynamicBatcher } from './batcher.js';
import { type Clock, systemClock } from './clock.js';
import { DATATYPE_OF, isValidModelName, type ModelConfig, parseModelConfig } from './config.js';
import { ServingError } from './errors.js';
import { GenerationScheduler, type LanguageModel } from './generation.js';
import { TrafficMonitor } from './monitor.js';
import type { ModelRuntime, ModelSignature } from './runtime.js';
import { CharacterTokenizer, type Tokenizer } from './tokenizer.js';

/** Makes the runtime for one version directory of a model. */
export type RuntimeFactory = (versionDir: string, config: ModelConfig) => ModelRuntime;

/** Loads the language model in one version directory of a generative model. */
export type LanguageModelFactory = (versionDir: string, config: ModelConfig) => Promise<LanguageModel>;

/** A generative model's serving parts: its scheduler and its tokenizer. */
export interface Generator {
  scheduler: GenerationScheduler;
  tokenizer: Tokenizer;
}

/** A model version that is loaded and serving: tensors in and out through a batcher, or text through a generator. */
export interface ServedModel {
  name: string;
  version: number;
  config: ModelConfig;
  signature: ModelSignature;
  platform: string;
  batcher?: DynamicBatcher;
  generator?: Generator;
  /** Traffic statistics, when the config has a monitoring section. */
  monitor?: TrafficMonitor;
}

/** What a served model holds that must be let go when it is retired. */
interface Entry {
  model: ServedModel;
  release: () => Promise<void>;
}

export interface ModelStatus {
  name: string;
  state: 'READY' | 'UNAVAILABLE';
  version?: number;
  reason?: string;
}

export interface RepositoryOptions {
  root: string;
  /**
   * The runtime for each platform this process serves, wired by the application (the domain knows runtimes only
   * through their interface, so it loads no inference engine itself). A model of a platform without one is
   * UNAVAILABLE, with that reason.
   */
  runtimes: Partial<Record<ModelConfig['platform'], RuntimeFactory>>;
  /** Likewise for models with a generation section. */
  languageModels?: Partial<Record<ModelConfig['platform'], LanguageModelFactory>>;
  clock?: Clock;
  /** Passed to each generative model's scheduler, for metrics. */
  onGenerationStep?: (model: string, kind: 'prefill' | 'decode', rows: number, ms: number) => void;
  onFirstToken?: (model: string, ms: number) => void;
  /** How often to look for new versions, in ms; 0 turns polling off. */
  pollMs?: number;
  log?: (event: string, fields: Record<string, unknown>) => void;
  onBatch?: (model: string, rows: number, requests: number, ms: number) => void;
}

/**
 * A model repository laid out as Triton's: `<root>/<model>/config.json` and `<root>/<model>/<version>/…`.
 * Every model is loaded at start (its latest version); a model that fails to load is UNAVAILABLE with the
 * reason, and the others still serve. Polling loads a new version beside the old one and swaps only once it is
 * ready, then drains and releases the old one: a half-loaded model is never served. Requests find models by
 * name in a map; a name from a request never becomes a path.
 */
export class ModelRepository {
  private readonly served = new Map<string, Entry>();
  private readonly failed = new Map<string, string>();
  /** The one time base of this repository's batchers; a server sets its request deadlines on it too. */
  readonly clock: Clock;
  private cancelPoll: (() => void) | undefined;
  private polling: Promise<void> | undefined;
  private closed = false;

  constructor(private readonly options: RepositoryOptions) {
    this.clock = options.clock ?? systemClock;
  }

  /** Loads every model found; resolves when each is READY or UNAVAILABLE, then starts polling. */
  async start(): Promise<void> {
    await this.scan();
    this.schedulePoll();
  }

  get(name: string): ServedModel {
    const entry = isValidModelName(name) ? this.served.get(name) : undefined;
    if (entry) return entry.model;
    if (isValidModelName(name) && this.failed.has(name)) {
      throw new ServingError('MODEL_NOT_READY', `model ${name} is not ready: ${this.failed.get(name)}`);
    }
    throw new ServingError('MODEL_NOT_FOUND', `no model named ${JSON.stringify(name)}`);
  }

  status(): ModelStatus[] {
    const ready = [...this.served.values()].map(({ model }) => ({
      name: model.name,
      state: 'READY' as const,
      version: model.version,
    }));
    const unavailable = [...this.failed]
      .filter(([name]) => !this.served.has(name))
      .map(([name, reason]) => ({ name, state: 'UNAVAILABLE' as const, reason }));
    return [...ready, ...unavailable].sort((a, b) => a.name.localeCompare(b.name));
  }

  /** True when every model found on disk is serving. */
  get ready(): boolean {
    return this.served.size > 0 && [...this.failed.keys()].every((name) => this.served.has(name));
  }

  /** Looks for new or changed versions now (the poll timer calls this). */
  poll(): Promise<void> {
    this.polling ??= this.scan().finally(() => {
      this.polling = undefined;
    });
    return this.polling;
  }

  /** Stops polling, drains every batcher, releases every runtime. */
  async close(): Promise<void> {
    this.closed = true;
    this.cancelPoll?.();
    await this.polling;
    const entries = [...this.served.values()];
    this.served.clear();
    await Promise.all(entries.map((e) => retire(e)));
  }

  private schedulePoll(): void {
    const every = this.options.pollMs ?? 2000;
    if (every <= 0 || this.closed) return;
    this.cancelPoll = this.clock.setTimer(every, () => {
      void this.poll().then(() => this.schedulePoll());
    });
  }

  private async scan(): Promise<void> {
    const root = this.options.root;
    if (!existsSync(root)) throw new Error(`model repository ${root} does not exist`);
    const names = readdirSync(root).filter(
      (name) => isValidModelName(name) && statSync(join(root, name)).isDirectory(),
    );
    await Promise.all(names.map((name) => this.refresh(name)));
    for (const name of [...this.served.keys()].filter((n) => !names.includes(n))) {
      const entry = this.served.get(name)!;
      this.served.delete(name);
      this.options.log?.('model_removed', { model: name });
      await retire(entry);
    }
  }

  /** Loads the latest version of one model if it is not the one being served. */
  private async refresh(name: string): Promise<void> {
    const dir = join(this.options.root, name);
    let config: ModelConfig;
    let version: number | undefined;
    try {
      config = parseModelConfig(
        JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')),
        `${name}/config.json`,
      );
      if (config.name !== name)
        throw new Error(
          `${name}/config.json: name is "${config.name}", expected "${name}" (the directory name)`,
        );
      version = servedVersion(dir, config);
      if (version === undefined) throw new Error(`${name}: no version directory (expected ${name}/1/ …)`);
    } catch (error) {
      this.markFailed(name, (error as Error).message);
      return;
    }
    const current = this.served.get(name);
    if (current?.model.version === version) return;
    try {
      const entry = config.generation
        ? await this.loadGenerator(name, version, config)
        : await this.loadRuntime(name, version, config);
      if (!entry) return;
      if (this.closed) {
        await entry.release();
        return;
      }
      this.served.set(name, entry);
      this.failed.delete(name);
      this.options.log?.('model_ready', { model: name, version, platform: entry.model.platform });
      if (current) await retire(current);
    } catch (error) {
      this.markFailed(name, `version ${version}: ${(error as Error).message}`);
    }
  }

  /** A model served by /infer: its runtime behind a dynamic batcher. Undefined when no runtime is wired. */
  private async loadRuntime(name: string, version: number, config: ModelConfig): Promise<Entry | undefined> {
    const factory = this.options.runtimes[config.platform];
    if (!factory) {
      const wired = Object.keys(this.options.runtimes).join(', ') || 'none';
      this.markFailed(name, `no runtime for platform ${config.platform} in this server (it has: ${wired})`);
      return undefined;
    }
    const runtime = factory(join(this.options.root, name, String(version)), config);
    try {
      const signature = await runtime.load();
      checkSignature(name, config, signature);
      const batching = config.dynamic_batching ?? { max_queue_delay_us: 0, max_queue_size: 256 };
      const batcher = new DynamicBatcher(runtime, {
        model: name,
        maxBatchSize: config.max_batch_size,
        maxQueueDelayMs: batching.max_queue_delay_us / 1000,
        maxQueueSize: batching.max_queue_size,
        clock: this.clock,
        onBatch: (rows, requests, ms) => this.options.onBatch?.(name, rows, requests, ms),
      });
      const monitor = config.monitoring
        ? new TrafficMonitor({
            windowRows: config.monitoring.window_rows,
            segments: config.monitoring.segments,
            bins: config.monitoring.bins,
            inputs: signature.inputs,
            outputs: signature.outputs,
            ...(config.labels ? { labels: config.labels } : {}),
          })
        : undefined;
      return {
        model: {
          name,
          version,
          config,
          signature,
          platform: runtime.platform,
          batcher,
          ...(monitor ? { monitor } : {}),
        },
        release: async () => {
          await batcher.shutdown();
          await runtime.release();
        },
      };
    } catch (error) {
      await runtime.release().catch(() => {});
      throw error;
    }
  }

  /** A generative model: its language model behind a generation scheduler, with the config's tokenizer. */
  private async loadGenerator(
    name: string,
    version: number,
    config: ModelConfig,
  ): Promise<Entry | undefined> {
    const generation = config.generation!;
    const factory = this.options.languageModels?.[config.platform];
    if (!factory) {
      const wired = Object.keys(this.options.languageModels ?? {}).join(', ') || 'none';
      this.markFailed(
        name,
        `no language-model runtime for platform ${config.platform} in this server (it has: ${wired})`,
      );
      return undefined;
    }
    const tokenizer = new CharacterTokenizer(generation.tokenizer.alphabet);
    const lm = await factory(join(this.options.root, name, String(version)), config);
    try {
      if (lm.vocabSize !== tokenizer.vocabSize)
        throw new Error(
          `${name}: the model has ${lm.vocabSize} tokens, the config's alphabet ${tokenizer.vocabSize} characters`,
        );
      const scheduler = new GenerationScheduler(lm, {
        model: name,
        contextLength: generation.context_length,
        maxSlots: config.max_batch_size,
        maxQueueSize: generation.max_queue_size,
        scheduling: generation.scheduling,
        clock: this.clock,
        onStep: (kind, rows, ms) => this.options.onGenerationStep?.(name, kind, rows, ms),
        onFirstToken: (ms) => this.options.onFirstToken?.(name, ms),
      });
      return {
        model: {
          name,
          version,
          config,
          signature: { inputs: [], outputs: [] },
          platform: config.platform,
          generator: { scheduler, tokenizer },
        },
        release: async () => {
          await scheduler.shutdown();
          await lm.release();
        },
      };
    } catch (error) {
      await lm.release().catch(() => {});
      throw error;
    }
  }

  private markFailed(name: string, reason: string): void {
    this.failed.set(name, reason);
    this.options.log?.('model_unavailable', { model: name, reason });
  }
}

async function retire(entry: Entry): Promise<void> {
  await entry.release();
}

/**
 * The version the config's policy picks: the latest version directory, or the one it names (which must exist).
 * Only all-digit names count, so a deployer can write `.tmp-3/` and rename it to `3/` when it is complete.
 */
function servedVersion(dir: string, config: ModelConfig): number | undefined {
  const versions = readdirSync(dir)
    .filter((v) => /^[1-9][0-9]*$/.test(v) && statSync(join(dir, v)).isDirectory())
    .map(Number);
  const policy = config.version_policy;
  if (policy && 'specific' in policy) {
    const wanted = policy.specific.versions[0]!;
    if (!versions.includes(wanted))
      throw new Error(
        `${config.name}: version_policy names version ${wanted}, which is not in ${config.name}/ (it has ${versions.sort((a, b) => a - b).join(', ') || 'none'})`,
      );
    return wanted;
  }
  return versions.length > 0 ? Math.max(...versions) : undefined;
}

/** The config must describe what the model file really takes and gives. */
function checkSignature(name: string, config: ModelConfig, signature: ModelSignature): void {
  for (const [kind, declared, actual] of [
    ['input', config.input, signature.inputs],
    ['output', config.output, signature.outputs],
  ] as const) {
    for (const d of declared) {
      const a = actual.find((t) => t.name === d.name);
      if (!a)
        throw new Error(
          `${name}: config ${kind} "${d.name}" is not in the model (it has ${actual.map((t) => t.name).join(', ')})`,
        );
      if (a.datatype !== DATATYPE_OF[d.data_type])
        throw new Error(
          `${name}: ${kind} "${d.name}" is ${a.datatype} in the model, ${d.data_type} in the config`,
        );
      const dims = a.shape.slice(1);
      if (
        dims.length !== d.dims.length ||
        dims.some((x, i) => x !== -1 && d.dims[i] !== -1 && x !== d.dims[i])
      ) {
        throw new Error(
          `${name}: ${kind} "${d.name}" has dims [${dims}] in the model, [${d.dims}] in the config`,
        );
      }
    }
  }
}
