/** How the model knows where a token is: a learned table, rotary embeddings (Su et al.) or linear biases (Press et al.). */
export type PositionScheme = 'learned' | 'rope' | 'alibi';

export const POSITION_SCHEMES: readonly PositionScheme[] = ['learned', 'rope', 'alibi'];

/** The shape of a GPT, as nanoGPT's GPTConfig. */
export interface GptConfig {
  vocabSize: number;
  /** The longest sequence the model is trained on; the size of the learned position table. */
  contextLength: number;
  layers: number;
  heads: number;
  /** The residual stream's width (n_embd); each head gets width / heads. */
  width: number;
  /** Dropout on attention weights, after each residual branch and on the embeddings; 0 turns it off. */
  dropout: number;
  /** Biases in the linear layers and layer norms (GPT-2 has them; nanoGPT finds training a little better without). */
  bias: boolean;
  positions: PositionScheme;
}

const isPositiveInteger = (n: number) => Number.isInteger(n) && n > 0;

/** The config itself, or an error naming the first field that cannot build a model. */
export function checkConfig(config: GptConfig): GptConfig {
  for (const key of ['vocabSize', 'contextLength', 'layers', 'heads', 'width'] as const) {
    if (!isPositiveInteger(config[key]))
      throw new RangeError(`GptConfig: ${key} must be a positive integer, got ${config[key]}`);
  }
  if (config.width % config.heads !== 0)
    throw new RangeError(`GptConfig: width ${config.width} is not divisible by heads ${config.heads}`);
  if (config.positions === 'rope' && (config.width / config.heads) % 2 !== 0)
    throw new RangeError(
      `GptConfig: rotary positions rotate pairs of features, so the head width must be even, got ${config.width / config.heads}`,
    );
  if (!POSITION_SCHEMES.includes(config.positions))
    throw new RangeError(
      `GptConfig: positions must be one of ${POSITION_SCHEMES.join(', ')}, got ${JSON.stringify(config.positions)}`,
    );
  if (!(config.dropout >= 0 && config.dropout < 1))
    throw new RangeError(`GptConfig: dropout must be in [0, 1), got ${config.dropout}`);
  return config;
}

/** Parameters the config builds (the LM head is tied to the token embedding, so it adds none). */
export function parameterCount(config: GptConfig): number {
  const { vocabSize, contextLength, layers, width, bias, positions } = config;
  const b = bias ? 1 : 0;
  const norm = width * (1 + b);
  const attention = width * 3 * width + 3 * width * b + width * width + width * b;
  const mlp = width * 4 * width + 4 * width * b + 4 * width * width + width * b;
  const embeddings = vocabSize * width + (positions === 'learned' ? contextLength * width : 0);
  return embeddings + layers * (2 * norm + attention + mlp) + norm;
}
