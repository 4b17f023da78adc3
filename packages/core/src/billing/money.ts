const MICROS_PER_USD = 1_000_000;
/** Stripe counts in cents. */
export const MICROS_PER_CENT = 10_000n;

/** Micro-dollars as `$12.34` (cents), for limits and budgets. */
export const formatUsd = (micros: bigint) => `$${(Number(micros) / MICROS_PER_USD).toFixed(2)}`;

/** Micro-dollars as a number of US dollars, e.g. to fill a form field. */
export const microsToUsd = (micros: bigint) => Number(micros) / MICROS_PER_USD;

/** US dollars (as typed in a form or a flag) in integer micro-dollars. */
export const usdToMicros = (usd: number) => BigInt(Math.round(usd * MICROS_PER_USD));

/** A per-1K-token price per million tokens, which reads better: $0.0001 per 1K is `$0.10 / 1M`. */
export const formatPerMillionTokens = (microsPer1k: bigint) => `${formatUsd(microsPer1k * 1000n)} / 1M`;

/**
 * Micro-dollars spread over `units` as an exact decimal string of dollars
 * per unit (OpenRouter's pricing fields): 20 micro-dollars per 1,000 tokens
 * is "0.00000002" a token. Exact to 1e-12 dollars.
 */
export function usdPerUnit(micros: bigint, units: bigint): string {
  const picoDollars = (micros * 1_000_000n) / units;
  const digits = picoDollars.toString().padStart(13, "0");
  return `${digits.slice(0, -12)}.${digits.slice(-12)}`.replace(/\.?0+$/, "") || "0";
}
