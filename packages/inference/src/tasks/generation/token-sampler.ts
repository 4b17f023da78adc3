import { randomInt } from "node:crypto";
import prand from "pure-rand";

export interface SamplingOptions {
  /** 0 picks the most likely token every time. */
  temperature: number;
  /** Nucleus sampling: sample among the most likely tokens holding this much probability. */
  topP: number;
  /** Same seed, same prompt, same settings: same completion. */
  seed?: number;
  /** OpenAI's penalties (-2..2): a token's logit goes down by `presence` once it has appeared, and by `frequency` each time. */
  presencePenalty?: number;
  frequencyPenalty?: number;
  /** Added to the logits of these token ids before sampling (-100..100: -100 all but bans one, 100 all but forces it). */
  logitBias?: ReadonlyMap<number, number>;
}

const TWO_POW_31 = 0x80000000;

/** Picks the next token from a row of logits, reproducibly for a given seed. */
export class TokenSampler {
  readonly #rng: prand.RandomGenerator;

  constructor(private readonly options: SamplingOptions) {
    // Mersenne Twister: pure-rand's xoroshiro128+ starts near 1.0 for small seeds (0, 1, 2…).
    this.#rng = prand.mersenne(options.seed ?? randomInt(TWO_POW_31));
  }

  /** The logits as the penalties and bias leave them (a copy where they change anything). */
  adjust(logits: Float32Array, generated: readonly number[]): Float32Array {
    return adjust(logits, generated, this.options);
  }

  #uniform() {
    return prand.unsafeUniformIntDistribution(0, TWO_POW_31 - 1, this.#rng) / TWO_POW_31;
  }

  /** The next token after `generated` (the completion so far: what the penalties count). */
  next(raw: Float32Array, generated: readonly number[] = []): number {
    return this.pick(this.adjust(raw, generated));
  }

  /** Samples from logits already adjusted (and masked: -Infinity is never picked). */
  pick(logits: Float32Array): number {
    if (this.options.temperature <= 0) return argmax(logits);
    let max = -Infinity;
    for (const value of logits) if (value > max) max = value;
    const probabilities = new Float64Array(logits.length);
    let total = 0;
    for (let i = 0; i < logits.length; i++) {
      const p = Math.exp(((logits[i] ?? -Infinity) - max) / this.options.temperature);
      probabilities[i] = p;
      total += p;
    }
    let candidates = Array.from({ length: logits.length }, (_, i) => i).filter((i) => (probabilities[i] ?? 0) > 0);
    if (this.options.topP < 1) {
      candidates.sort((a, b) => (probabilities[b] ?? 0) - (probabilities[a] ?? 0));
      let kept = 0;
      let mass = 0;
      while (kept < candidates.length && mass < this.options.topP * total) {
        mass += probabilities[candidates[kept] ?? 0] ?? 0;
        kept++;
      }
      candidates = candidates.slice(0, Math.max(kept, 1));
      total = mass;
    }
    let target = this.#uniform() * total;
    for (const index of candidates) {
      target -= probabilities[index] ?? 0;
      if (target < 0) return index;
    }
    return candidates[candidates.length - 1] ?? 0;
  }
}

/**
 * The logits as OpenAI's penalties and bias leave them:
 * `l[j] - c[j] * frequency - (c[j] > 0) * presence + bias[j]`, with `c[j]`
 * how often token j has been generated. A copy; the row itself is the model's.
 */
function adjust(
  logits: Float32Array,
  generated: readonly number[],
  { presencePenalty = 0, frequencyPenalty = 0, logitBias }: SamplingOptions,
): Float32Array {
  const penalised = (presencePenalty !== 0 || frequencyPenalty !== 0) && generated.length > 0;
  if (!penalised && !logitBias?.size) return logits;
  const out = new Float32Array(logits);
  if (penalised) {
    const counts = new Map<number, number>();
    for (const token of generated) counts.set(token, (counts.get(token) ?? 0) + 1);
    for (const [token, count] of counts) {
      if (token < out.length) out[token] = (out[token] ?? 0) - count * frequencyPenalty - presencePenalty;
    }
  }
  for (const [token, bias] of logitBias ?? []) if (token < out.length) out[token] = (out[token] ?? 0) + bias;
  return out;
}

export function argmax(values: Float32Array): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if ((values[i] ?? -Infinity) > (values[best] ?? -Infinity)) best = i;
  return best;
}
