import type { ScopeUse } from "@aiaas/core/quota";

/** OpenAI's duration format for reset headers: `1s`, `6m0s`, `20ms`. */
export function resetDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.ceil(ms))}ms`;
  const seconds = Math.ceil(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  return `${hours ? `${hours}h` : ""}${minutes}m${seconds % 60}s`;
}

/** Milliseconds from a duration as `resetDuration` writes it (`250ms`, `42s`, `1h2m3s`); 0 when unreadable. */
export function parseResetDuration(text: string | undefined): number {
  const match = /^(?:(\d+)ms|(?:(\d+)h)?(?:(\d+)m)?(?:(\d+(?:\.\d+)?)s)?)$/.exec(text ?? "");
  if (!match || !text) return 0;
  const [, ms, hours, minutes, seconds] = match;
  if (ms !== undefined) return Number(ms);
  return (Number(hours ?? 0) * 3600 + Number(minutes ?? 0) * 60 + Number(seconds ?? 0)) * 1000;
}

/** The scope with the least left of one limit: the one the caller runs into first. */
function tightest(uses: readonly ScopeUse[], limit: (use: ScopeUse) => number | null, used: (use: ScopeUse) => number) {
  let best: { limit: number; remaining: number; use: ScopeUse } | undefined;
  for (const use of uses) {
    const value = limit(use);
    if (value === null) continue;
    const remaining = Math.max(0, value - used(use));
    if (!best || remaining < best.remaining) best = { limit: value, remaining, use };
  }
  return best;
}

/** Every header `rateLimitHeaders` and a refusal may send: browsers read only those CORS exposes. */
export const rateLimitHeaderNames = [
  ...["requests", "tokens"].flatMap((unit) =>
    ["limit", "remaining", "reset"].map((figure) => `x-ratelimit-${figure}-${unit}`),
  ),
  "x-budget-limit-micros",
  "x-budget-remaining-micros",
  "x-budget-reset",
  "retry-after",
  "retry-after-ms",
];

/**
 * `x-ratelimit-{limit,remaining,reset}-{requests,tokens}` as OpenAI sends
 * them, for the tightest scope, plus our budget headers (micro-units).
 */
export function rateLimitHeaders(uses: readonly ScopeUse[], now = Date.now()): Record<string, string> {
  const headers: Record<string, string> = {};
  const requests = tightest(
    uses,
    (use) => use.scope.limits.rpm,
    (use) => use.requests,
  );
  if (requests) {
    headers["x-ratelimit-limit-requests"] = String(requests.limit);
    headers["x-ratelimit-remaining-requests"] = String(requests.remaining);
    headers["x-ratelimit-reset-requests"] = resetDuration(requests.use.windowResetMs);
  }
  const tokens = tightest(
    uses,
    (use) => use.scope.limits.tpm,
    (use) => use.tokens,
  );
  if (tokens) {
    headers["x-ratelimit-limit-tokens"] = String(tokens.limit);
    headers["x-ratelimit-remaining-tokens"] = String(tokens.remaining);
    headers["x-ratelimit-reset-tokens"] = resetDuration(tokens.use.windowResetMs);
  }
  let budget: { limit: bigint; remaining: bigint; use: ScopeUse } | undefined;
  for (const use of uses) {
    const limit = use.scope.limits.budgetMicros;
    if (limit === null) continue;
    const remaining = limit > use.budgetUsedMicros ? limit - use.budgetUsedMicros : 0n;
    if (!budget || remaining < budget.remaining) budget = { limit, remaining, use };
  }
  if (budget) {
    headers["x-budget-limit-micros"] = String(budget.limit);
    headers["x-budget-remaining-micros"] = String(budget.remaining);
    if (budget.use.budgetResetAt) {
      headers["x-budget-reset"] = resetDuration(budget.use.budgetResetAt.getTime() - now);
    }
  }
  return headers;
}
