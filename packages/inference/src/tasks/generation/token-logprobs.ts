/** One generated token's log probability, and the likeliest tokens at its step. */
export interface TokenLogprob {
  token: string;
  logprob: number;
  top: { token: string; logprob: number }[];
}

/**
 * log softmax of a row of logits (as the penalties and bias leave them, at
 * temperature 1: the model's own distribution, what OpenAI reports) at the
 * chosen token, and the `top` likeliest, most likely first.
 */
export function tokenLogprob(
  logits: Float32Array,
  chosen: number,
  top: number,
  textOf: (id: number) => string,
  chosenText = textOf(chosen),
): TokenLogprob {
  let max = -Infinity;
  for (const value of logits) if (value > max) max = value;
  let sum = 0;
  for (const value of logits) sum += Math.exp(value - max);
  const logZ = max + Math.log(sum);
  const ranked: number[] = [];
  if (top > 0) {
    for (let id = 0; id < logits.length; id++) {
      if (ranked.length < top || (logits[id] ?? -Infinity) > (logits[ranked[ranked.length - 1] ?? 0] ?? -Infinity)) {
        ranked.push(id);
        ranked.sort((a, b) => (logits[b] ?? 0) - (logits[a] ?? 0) || a - b);
        if (ranked.length > top) ranked.pop();
      }
    }
  }
  return {
    token: chosenText,
    logprob: (logits[chosen] ?? -Infinity) - logZ,
    top: ranked.map((id) => ({ token: textOf(id), logprob: (logits[id] ?? -Infinity) - logZ })),
  };
}
