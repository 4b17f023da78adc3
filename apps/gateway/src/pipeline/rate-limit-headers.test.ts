import { describe, expect, it } from "vitest";
import { noLimits, type QuotaScope, type ScopeUse } from "@aiaas/core/quota";
import { parseResetDuration, rateLimitHeaders, resetDuration } from "./rate-limit-headers.ts";

const use = (kind: "key" | "tenant", limits: Partial<QuotaScope["limits"]>, used: Partial<ScopeUse>): ScopeUse => ({
  scope: { kind, id: kind, tenantId: "ten_x", limits: { ...noLimits, ...limits } },
  requests: 0,
  tokens: 0,
  requestsToday: 0,
  inFlight: 0,
  budgetUsedMicros: 0n,
  windowResetMs: 60_000,
  budgetResetAt: null,
  ...used,
});

describe("rate limit headers", () => {
  it("formats reset times as OpenAI does", () => {
    expect(resetDuration(20)).toBe("20ms");
    expect(resetDuration(1000)).toBe("1s");
    expect(resetDuration(1001)).toBe("2s");
    expect(resetDuration(360_000)).toBe("6m0s");
    expect(resetDuration(3_725_000)).toBe("1h2m5s");
  });

  it("reads them back (the batch runner waits that long)", () => {
    for (const ms of [20, 1000, 360_000, 3_725_000]) expect(parseResetDuration(resetDuration(ms))).toBe(ms);
    expect(parseResetDuration("1.5s")).toBe(1500);
    expect(parseResetDuration("soon")).toBe(0);
    expect(parseResetDuration(undefined)).toBe(0);
  });

  it("reports the scope with the least left of each limit", () => {
    const headers = rateLimitHeaders([
      use("key", { rpm: 10, tpm: 1000 }, { requests: 2, tokens: 900, windowResetMs: 1500 }),
      use("tenant", { rpm: 100, tpm: 5000 }, { requests: 95, tokens: 100 }),
    ]);
    expect(headers).toEqual({
      "x-ratelimit-limit-requests": "100",
      "x-ratelimit-remaining-requests": "5",
      "x-ratelimit-reset-requests": "1m0s",
      "x-ratelimit-limit-tokens": "1000",
      "x-ratelimit-remaining-tokens": "100",
      "x-ratelimit-reset-tokens": "2s",
    });
  });

  it("adds the budget in micro-units with the time to its reset, and nothing for unlimited scopes", () => {
    const now = Date.UTC(2026, 11, 31, 23, 0, 0);
    const headers = rateLimitHeaders(
      [
        use(
          "tenant",
          { budgetMicros: 5_000_000n, budgetPeriod: "month" },
          { budgetUsedMicros: 6_000_000n, budgetResetAt: new Date(Date.UTC(2027, 0, 1)) },
        ),
      ],
      now,
    );
    expect(headers).toEqual({
      "x-budget-limit-micros": "5000000",
      "x-budget-remaining-micros": "0",
      "x-budget-reset": "1h0m0s",
    });
    expect(rateLimitHeaders([use("key", {}, {})])).toEqual({});
  });
});
