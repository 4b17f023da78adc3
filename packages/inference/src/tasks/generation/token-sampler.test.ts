import { describe, expect, it } from "vitest";
import { TokenSampler } from "./token-sampler.ts";

const logits = Float32Array.from([0.1, 2.5, 0.3, 2.4, -1]);

function draw(sampler: TokenSampler, n: number) {
  return Array.from({ length: n }, () => sampler.next(logits));
}

describe("TokenSampler", () => {
  it("is greedy at temperature 0", () => {
    expect(draw(new TokenSampler({ temperature: 0, topP: 1 }), 5)).toEqual([1, 1, 1, 1, 1]);
  });

  it("repeats itself for the same seed and not for another", () => {
    const a = draw(new TokenSampler({ temperature: 1, topP: 1, seed: 42 }), 50);
    const b = draw(new TokenSampler({ temperature: 1, topP: 1, seed: 42 }), 50);
    const c = draw(new TokenSampler({ temperature: 1, topP: 1, seed: 43 }), 50);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it("varies from its very first draw across small seeds", () => {
    const firsts = Array.from({ length: 20 }, (_, seed) =>
      new TokenSampler({ temperature: 1, topP: 1, seed }).next(logits),
    );
    expect(new Set(firsts).size).toBeGreaterThan(1);
    expect(firsts.filter((token) => token === 4).length).toBeLessThan(5);
  });

  it("samples only from the nucleus under top_p", () => {
    const seen = new Set(draw(new TokenSampler({ temperature: 1, topP: 0.5, seed: 1 }), 200));
    expect([...seen].sort()).toEqual([1, 3]);
  });

  it("follows the distribution at temperature 1", () => {
    const counts = [0, 0, 0, 0, 0];
    for (const token of draw(new TokenSampler({ temperature: 1, topP: 1, seed: 7 }), 5000))
      counts[token] = (counts[token] ?? 0) + 1;
    const total = [...logits].reduce((sum, l) => sum + Math.exp(l), 0);
    counts.forEach((count, i) => expect(count / 5000).toBeCloseTo(Math.exp(logits[i] ?? 0) / total, 1));
  });
});
