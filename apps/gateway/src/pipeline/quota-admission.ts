import type { FastifyBaseLogger } from "fastify";
import {
  ScriptError,
  formatUsd,
  hasLimits,
  type BudgetAlerts,
  type FailureReporter,
  usageCost,
  type KeyRecord,
  type LimitName,
  type LimitSet,
  type QuotaDecision,
  type QuotaGate,
  type QuotaScope,
} from "@aiaas/core/server";
import type { ModelDirectory } from "../directory/model-directory.ts";
import { ApiError } from "../openai-error.ts";
import type { Admission, AdmissionRequest, AdmissionTicket } from "./admission.ts";
import { rateLimitHeaders, resetDuration } from "./rate-limit-headers.ts";

const keyLimits = (key: KeyRecord): LimitSet => ({
  rpm: key.limits.rpm,
  tpm: key.limits.tpm,
  rpd: key.limits.rpd,
  concurrent: key.limits.concurrent,
  budgetMicros: key.limits.budgetMicros === null ? null : BigInt(key.limits.budgetMicros),
  budgetPeriod: key.limits.budgetMicros === null ? null : (key.limits.budgetPeriod ?? "month"),
});

const limitWords: Record<Exclude<LimitName, "budget" | "concurrent">, string> = {
  rpm: "requests per min (RPM)",
  tpm: "tokens per min (TPM)",
  rpd: "requests per day (RPD)",
};

function refusal(
  decision: Extract<QuotaDecision, { admitted: false }>,
  requested: number,
  cost: bigint,
  prepaid: boolean,
): ApiError {
  const { scope, limit, use, retryAfterMs } = decision;
  const owner = scope.kind === "key" ? "this API key" : "this organization";
  const wait = resetDuration(retryAfterMs);
  const headers = {
    ...rateLimitHeaders([use]),
    "retry-after": String(Math.ceil(retryAfterMs / 1000)),
    "retry-after-ms": String(retryAfterMs),
  };
  const { limits } = scope;
  switch (limit) {
    case "budget": {
      if (prepaid && scope.kind === "tenant") {
        return new ApiError(
          402,
          `The prepaid credit of this organization is used up: ${formatUsd(use.budgetUsedMicros)} of ${formatUsd(limits.budgetMicros ?? 0n)} (this month's included usage and credit) spent or reserved, and this request may cost up to ${formatUsd(cost)}. Top up on the billing page; the included usage renews in ${wait}.`,
          "budget_exhausted",
          null,
          headers,
        );
      }
      const period = limits.budgetPeriod === "day" ? "daily" : "monthly";
      return new ApiError(
        402,
        `The ${period} budget of ${owner} is used up: ${formatUsd(use.budgetUsedMicros)} of ${formatUsd(limits.budgetMicros ?? 0n)} spent or reserved, and this request may cost up to ${formatUsd(cost)}. It resets in ${wait}; an administrator can raise it.`,
        "budget_exhausted",
        null,
        headers,
      );
    }
    case "concurrent":
      return new ApiError(
        429,
        `Too many concurrent requests on ${owner}: limit ${limits.concurrent ?? 0} in flight. Retry when one finishes.`,
        "concurrency_limit_exceeded",
        null,
        headers,
      );
    case "rpm":
    case "tpm":
    case "rpd": {
      const used = limit === "rpm" ? use.requests : limit === "tpm" ? use.tokens : use.requestsToday;
      return new ApiError(
        429,
        `Rate limit reached for ${limitWords[limit]} on ${owner}: Limit ${limits[limit] ?? 0}, Used ${used}, Requested ${limit === "tpm" ? requested : 1}. Please try again in ${wait}.`,
        "rate_limit_exceeded",
        null,
        headers,
      );
    }
  }
}

/**
 * Admission against the key's and the tenant's limits (plan, overridden by
 * operators), in one Redis script per request. Tokens and money are reserved
 * at their most (prompt bound + max output, at the model's price) and
 * settled to the real usage when the request ends, however it ends. Limits
 * that cannot be checked (Redis down) refuse the request: a budget is never
 * overdrawn for want of a check.
 */
export class QuotaAdmission implements Admission {
  constructor(
    private readonly gate: QuotaGate,
    private readonly directory: ModelDirectory,
    private readonly alerts: BudgetAlerts,
    private readonly log: FastifyBaseLogger,
    private readonly failures: FailureReporter,
  ) {}

  async admit(request: AdmissionRequest): Promise<AdmissionTicket> {
    const { caller, model } = request;
    const tenant = await this.directory.tenant(caller.tenantId);
    const scopes: QuotaScope[] = [
      { kind: "key" as const, id: caller.key.id, tenantId: caller.tenantId, limits: keyLimits(caller.key) },
      { kind: "tenant" as const, id: caller.tenantId, tenantId: caller.tenantId, limits: tenant.limits },
    ].filter((scope) => hasLimits(scope.limits));
    if (scopes.length === 0) return { headers: {}, settle: () => Promise.resolve() };
    const tokens = request.promptTokens + request.maxOutputTokens;
    const costMicros = usageCost(model.price, {
      inputTokens: request.promptTokens,
      outputTokens: request.maxOutputTokens,
      images: request.images,
    });
    let decision: QuotaDecision;
    try {
      decision = await this.gate.admit({ requestId: request.requestId, scopes, tokens, costMicros });
    } catch (error) {
      const context = { requestId: request.requestId, tenantId: caller.tenantId };
      if (error instanceof ScriptError)
        this.failures.report(
          "script_error",
          "the admission script failed",
          { ...context, script: error.script },
          error,
        );
      else this.failures.report("limits_unreachable", "limits could not be checked", context, error);
      throw new ApiError(
        503,
        "Usage limits cannot be checked right now, so requests are refused until they can. Try again shortly.",
        "limits_unavailable",
      );
    }
    if (!decision.admitted) throw refusal(decision, tokens, costMicros, tenant.prepaid);
    for (const use of decision.uses) {
      this.alerts.check(use).catch((error: unknown) => this.log.warn({ err: error }, "could not send a budget alert"));
    }
    return {
      headers: rateLimitHeaders(decision.uses),
      settle: (usage) =>
        this.gate.settle({
          requestId: request.requestId,
          scopes,
          tokens: usage.inputTokens + usage.outputTokens,
          costMicros: usage.costMicros,
        }),
    };
  }
}
