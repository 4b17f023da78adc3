import type { Redis } from "ioredis";
import { Counter, type Registry } from "prom-client";
import { consumeRateCounters, type FailureReporter } from "@aiaas/core/platform";
import { ApiError } from "../openai-error.ts";

/**
 * Key lookups that reach Postgres (no cache knows the key), per client
 * address and minute, counted in Redis for every gateway at once: a flood of
 * made-up keys costs Postgres this many queries a minute per address, then
 * is answered 429 without any. A real key is cached after its first lookup,
 * so its callers never meet this limit.
 */
export class KeyLookupLimit {
  readonly #lookups: Counter<"outcome">;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly perMinute: number,
    private readonly failures: FailureReporter,
    registry: Registry,
  ) {
    this.#lookups = new Counter({
      name: "aiaas_gateway_key_lookups_total",
      help: "API keys no cache knew: looked up in Postgres (admitted) or refused over the per-address limit",
      labelNames: ["outcome"] as const,
      registers: [registry],
    });
  }

  async admit(ip: string, requestId: string): Promise<void> {
    let decision;
    try {
      decision = await consumeRateCounters(this.redis, [
        { key: `${this.prefix}:key-lookups:${ip}`, window: 60, max: this.perMinute },
      ]);
    } catch (error) {
      // Without Redis the lookup goes ahead: Postgres still decides, and the failure is counted.
      this.failures.report("limits_unreachable", "key lookups could not be counted", { requestId }, error);
      this.#lookups.inc({ outcome: "admitted" });
      return;
    }
    this.#lookups.inc({ outcome: decision.allowed ? "admitted" : "refused" });
    if (decision.allowed) return;
    throw new ApiError(
      429,
      `Too many requests from your address with API keys we do not know. Check the key, then try again in ${decision.retryAfter} s.`,
      "too_many_unknown_keys",
      null,
      { "retry-after": String(decision.retryAfter) },
    );
  }
}
