import type { FastifyBaseLogger } from "fastify";
import { formatUsd, usageCost } from "@aiaas/core/billing";
import { type KeyRecord } from "@aiaas/core/keys";
import { ScriptError, type FailureReporter } from "@aiaas/core/platform";
import {
  hasLimits,
  type BudgetAlerts,
  type LimitName,
  type LimitSet,
  type QuotaDecision,
  type QuotaGate,
  type QuotaScope,
  type Reservation,
} from "@aiaas/core/quota";
import type { Caller } from "../auth/authenticate.ts";
import type { ModelDirectory } from "../directory/model-directory.ts";
import { ApiError } from "../openai-error.ts";
import type { Admission, AdmissionRequest, AdmissionTicket } from "./admission.ts";
import type { BudgetLedger } from "./budget-ledger.ts";
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
  decision: Extract<QuotaDecision, { limit: LimitName }>,
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
 * overdrawn for want of a check. A budget's counter is seeded from the
 * ledger first (BudgetLedger).
 */
export class QuotaAdmission implements Admission {
  constructor(
    private readonly gate: QuotaGate,
    private readonly budgets: BudgetLedger,
    private readonly directory: ModelDirectory,
    private readonly alerts: BudgetAlerts,
    private readonly log: FastifyBaseLogger,
    private readonly failures: FailureReporter,
  ) {}

  async #scopes(caller: Caller) {
    const tenant = await this.directory.tenant(caller.tenantId);
    const scopes: QuotaScope[] = [
      { kind: "key" as const, id: caller.key.id, tenantId: caller.tenantId, limits: keyLimits(caller.key) },
      { kind: "tenant" as const, id: caller.tenantId, tenantId: caller.tenantId, limits: tenant.limits },
    ].filter((scope) => hasLimits(scope.limits));
    return { tenant, scopes };
  }

  async admit(request: AdmissionRequest): Promise<AdmissionTicket> {
    const { caller, model } = request;
    const { tenant, scopes } = await this.#scopes(caller);
    if (scopes.length === 0) return { headers: {}, settle: () => Promise.resolve() };
    const tokens = request.promptTokens + request.maxOutputTokens;
    const costMicros = usageCost(model.price, {
      inputTokens: request.promptTokens,
      outputTokens: request.maxOutputTokens,
      images: request.images,
    });
    const reservation: Reservation = { requestId: request.requestId, scopes, tokens, costMicros };
    let decision = await this.#admit(reservation);
    // A budget not seeded from the ledger yet (its first use in this Redis, or Redis lost it): seed, then ask again.
    for (let seeded = 0; "unseeded" in decision; seeded++) {
      if (seeded === scopes.length)
        throw new ApiError(503, "Usage limits are being rebuilt; try again shortly.", "limits_rebuilding");
      await this.#seed(decision.unseeded, reservation);
      decision = await this.#admit(reservation);
    }
    if (!decision.admitted) throw refusal(decision, tokens, costMicros, tenant.prepaid);
    for (const use of decision.uses) {
      this.alerts.check(use).catch((error: unknown) => this.log.warn({ err: error }, "could not send a budget alert"));
    }
    this.budgets.opened(reservation);
    return {
      headers: rateLimitHeaders(decision.uses),
      settle: (usage) => {
        this.budgets.closed(request.requestId);
        return this.gate.settle({
          ...reservation,
          tokens: usage.inputTokens + usage.outputTokens,
          costMicros: usage.costMicros,
        });
      },
    };
  }

  async countRefusal(caller: Caller, requestId: string): Promise<void> {
    const { tenant, scopes } = await this.#scopes(caller);
    // It costs nothing and holds no slot: counted in the rate limits only, never against a budget.
    const counted = scopes
      .map((scope) => ({
        ...scope,
        limits: { ...scope.limits, concurrent: null, budgetMicros: null, budgetPeriod: null },
      }))
      .filter((scope) => hasLimits(scope.limits));
    if (counted.length === 0) return;
    const reservation: Reservation = { requestId, scopes: counted, tokens: 0, costMicros: 0n };
    let decision: QuotaDecision;
    try {
      decision = await this.#admit(reservation);
    } catch {
      return; // Limits out of reach (reported): the refusal itself still stands.
    }
    if ("limit" in decision) throw refusal(decision, 0, 0n, tenant.prepaid);
    await this.gate
      .settle(reservation)
      .catch((error: unknown) =>
        this.failures.report(
          "settle_failed",
          "a refused request's count could not be settled; its lease releases it",
          { requestId, tenantId: caller.tenantId },
          error,
        ),
      );
  }

  async #admit(reservation: Reservation): Promise<QuotaDecision> {
    try {
      return await this.gate.admit(reservation);
    } catch (error) {
      throw this.#unavailable(error, reservation);
    }
  }

  async #seed(scope: QuotaScope, reservation: Reservation) {
    try {
      await this.budgets.seed(scope);
    } catch (error) {
      if (error instanceof ApiError) throw error;
      throw this.#unavailable(error, reservation);
    }
  }

  #unavailable(error: unknown, reservation: Reservation) {
    const context = { requestId: reservation.requestId, tenantId: reservation.scopes[0]?.tenantId };
    if (error instanceof ScriptError)
      this.failures.report("script_error", "an admission script failed", { ...context, script: error.script }, error);
    else this.failures.report("limits_unreachable", "limits could not be checked", context, error);
    return new ApiError(
      503,
      "Usage limits cannot be checked right now, so requests are refused until they can. Try again shortly.",
      "limits_unavailable",
    );
  }
}
