import type { GPT } from '../model/gpt.js';
import { checkPrompt } from './generate.js';
import { NextToken } from './next-token.js';

export interface BeamSearchOptions {
  /** Hypotheses kept at each step. */
  beams: number;
  /** New tokens per hypothesis at most. */
  maxTokens: number;
  /**
   * α in the score log P / length^α: 0 ranks by total log-probability (which favours short hypotheses), 1 by the
   * mean per token. 1 by default, as Hugging Face's generate.
   */
  lengthPenalty?: number;
  /** A token that ends a hypothesis (it is kept as the last token). */
  endToken?: number;
  /** Stop as soon as `beams` hypotheses have ended, instead of while a live one could still beat them. */
  earlyStopping?: boolean;
  /** How many hypotheses to return, best first; `beams` by default. */
  returnBeams?: number;
  /** Keep keys and values between steps (true by default). */
  cache?: boolean;
}

export interface Hypothesis {
  /** The new tokens, without the prompt. */
  tokens: number[];
  /** The sum of the log-probabilities of the new tokens. */
  logProb: number;
  /** logProb / length^α, what the hypotheses are ranked by. */
  score: number;
  /** True if it ended with the end token, false if it ran out of maxTokens. */
  ended: boolean;
}

function logSoftmax(logits: Float64Array): Float64Array {
  let max = Number.NEGATIVE_INFINITY;
  for (const v of logits) if (v > max) max = v;
  let total = 0;
  for (const v of logits) total += Math.exp(v - max);
  const lse = max + Math.log(total);
  return logits.map((v) => v - lse);
}

/**
 * Beam search: at each step every live hypothesis is extended by every token, and the `beams` best extensions by
 * total log-probability live on (the first step starts from the prompt alone, so the beams are distinct). An
 * extension by the end token is set aside as ended; the search stops at maxTokens, or when ended hypotheses fill
 * the beam and (without early stopping) no live one can still outscore the worst of them. Returns the best
 * `returnBeams` of the ended and live hypotheses by score.
 */
export function beamSearch(model: GPT, prompt: readonly number[], options: BeamSearchOptions): Hypothesis[] {
  const { beams, maxTokens, lengthPenalty = 1, endToken, earlyStopping = false, cache = true } = options;
  const returnBeams = options.returnBeams ?? beams;
  const { vocabSize, contextLength } = model.config;
  if (!(Number.isInteger(beams) && beams >= 1))
    throw new RangeError(`beamSearch: beams must be a positive integer, got ${beams}`);
  if (!(Number.isInteger(maxTokens) && maxTokens >= 1))
    throw new RangeError(`beamSearch: maxTokens must be a positive integer, got ${maxTokens}`);
  if (!(Number.isInteger(returnBeams) && returnBeams >= 1 && returnBeams <= beams))
    throw new RangeError(`beamSearch: returnBeams must be an integer in 1..${beams}, got ${returnBeams}`);
  if (!Number.isFinite(lengthPenalty))
    throw new RangeError(`beamSearch: lengthPenalty must be a finite number, got ${lengthPenalty}`);
  if (endToken !== undefined && !(Number.isInteger(endToken) && endToken >= 0 && endToken < vocabSize))
    throw new RangeError(`beamSearch: endToken ${endToken} is outside the vocabulary 0..${vocabSize - 1}`);
  const score = (logProb: number, length: number) => logProb / length ** lengthPenalty;

  const { window } = checkPrompt(prompt, contextLength);
  const next = new NextToken(model, cache);
  let live: { tokens: number[]; logProb: number }[] = [{ tokens: [], logProb: 0 }];
  const ended: Hypothesis[] = [];
  for (let step = 1; step <= maxTokens && live.length > 0; step++) {
    const rows = next.logits(live.map((h) => [...window, ...h.tokens]));
    const candidates: { parent: number; token: number; logProb: number }[] = [];
    rows.forEach((row, parent) => {
      const logProbs = logSoftmax(row);
      for (let token = 0; token < vocabSize; token++)
        candidates.push({ parent, token, logProb: live[parent]!.logProb + logProbs[token]! });
    });
    candidates.sort((a, b) => b.logProb - a.logProb || a.parent - b.parent || a.token - b.token);
    const survivors: typeof candidates = [];
    for (const [rank, c] of candidates.entries()) {
      if (survivors.length === beams) break;
      if (c.token !== endToken) {
        survivors.push(c);
        continue;
      }
      // An extension by the end token counts only if it ranks among this step's `beams` best (as Hugging Face's).
      if (rank < beams) {
        const tokens = [...live[c.parent]!.tokens, c.token];
        ended.push({ tokens, logProb: c.logProb, score: score(c.logProb, step), ended: true });
      }
    }
    ended.sort((a, b) => b.score - a.score);
    ended.splice(beams);
    next.reorder(
      padTo(
        survivors.map((c) => c.parent),
        rows.length,
      ),
    );
    live = survivors.map((c) => ({ tokens: [...live[c.parent]!.tokens, c.token], logProb: c.logProb }));
    if (ended.length === beams) {
      if (earlyStopping) break;
      // A live hypothesis's log-probability only falls; with α ≥ 0 this bounds its best possible score.
      const bestLive = Math.max(...live.map((h) => score(h.logProb, lengthPenalty > 0 ? maxTokens : step)));
      if (ended.at(-1)!.score >= bestLive) break;
    }
  }
  const unfinished = live.map((h) => ({ ...h, score: score(h.logProb, h.tokens.length), ended: false }));
  return [...ended, ...unfinished].sort((a, b) => b.score - a.score).slice(0, returnBeams);
}

/** The cache has one row per hypothesis of the last step; rows nobody continues are filled with a repeat. */
function padTo(rows: number[], length: number): number[] {
  const padded = rows.slice(0, length);
  while (padded.length < length) padded.push(rows[0] ?? 0);
  return padded;
}
