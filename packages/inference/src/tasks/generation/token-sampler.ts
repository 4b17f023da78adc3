import { randomInt } from "node:crypto";
import prand from "pure-rand";

export interface SamplingOptions {
  /** 0 picks the most likely token every time. */
  temperature: number;
  /** Nucleus sampling: sample among the most likely tokens holding this much probability. */
  topP: number;
  /** Same seed, same prompt, same settings: same completion. */
  seed?: number;
}

const TWO_POW_31 = 0x80000000;

/** Picks the next token from a row of logits, reproducibly for a given seed. */
export class TokenSampler {
  readonly #rng: prand.RandomGenerator;

  constructor(private readonly options: SamplingOptions) {
    // Mersenne Twister: pure-rand's xoroshiro128+ starts near 1.0 for small seeds (0, 1, 2…).
    this.#rng = prand.mersenne(options.seed ?? randomInt(TWO_POW_31));
  }

  #uniform() {
    return prand.unsafeUniformIntDistribution(0, TWO_POW_31 - 1, this.#rng) / TWO_POW_31;
  }

  next(logits: Float32Array): number {
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
    let candidates = Array.from({ length: logits.length }, (_, i) => i);
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

export function argmax(values: Float32Array): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if ((values[i] ?? -Infinity) > (values[best] ?? -Infinity)) best = i;
  return best;
}
