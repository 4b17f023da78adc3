import { usdToMicros } from "@aiaas/core/billing";
import { UsageError } from "./cli-error.ts";

/** A flag's amount in US dollars (`25`, `2.50`, `0.0004`) as micro-dollars; zero only where `allowZero`. */
export function usdFlag(value: string, flag: string, { allowZero = false } = {}): bigint {
  const parsed = Number(value);
  if (value.trim() === "" || !Number.isFinite(parsed) || parsed < 0 || (parsed === 0 && !allowZero)) {
    throw new UsageError(`--${flag}: "${value}" is not an amount in USD, e.g. 25 or 2.50`);
  }
  return usdToMicros(parsed);
}
