export interface UnitPrices {
  inputMicrosPer1k: bigint;
  outputMicrosPer1k: bigint;
  imageMicros: bigint;
}

/** What usage costs at these prices, in micro-units, rounded up to the next micro-unit. */
export function usageCost(
  price: UnitPrices,
  usage: { inputTokens: number; outputTokens: number; images: number },
): bigint {
  const tokens =
    BigInt(usage.inputTokens) * price.inputMicrosPer1k + BigInt(usage.outputTokens) * price.outputMicrosPer1k;
  return (tokens + 999n) / 1000n + BigInt(usage.images) * price.imageMicros;
}
