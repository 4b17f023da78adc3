import type { Redis } from "ioredis";
import { ADMIT_SCRIPT, SETTLE_SCRIPT, USAGE_SCRIPT } from "./admission-script.ts";
import type { LimitName, LimitSet } from "./limits.ts";
import { nextUtcDay, nextUtcMonth, utcDayKey } from "../time/utc-calendar.ts";
import { runScript } from "../redis/run-script.ts";

/** Who a limit belongs to: a key or a tenant. Every key of a tenant shares its hash tag. */
export interface QuotaScope {
  kind: "key" | "tenant";
  id: string;
  tenantId: string;
  limits: LimitSet;
}

/** A scope's use after admission (or at refusal), for the x-ratelimit headers. */
export interface ScopeUse {
  scope: QuotaScope;
  requests: number;
  tokens: number;
  requestsToday: number;
  inFlight: number;
  budgetUsedMicros: bigint;
  /** When the minute's window has room for the oldest request again. */
  windowResetMs: number;
  budgetResetAt: Date | null;
}

export type Admission =
  | { admitted: true; uses: ScopeUse[] }
  | { admitted: false; scope: QuotaScope; limit: LimitName; retryAfterMs: number; use: ScopeUse };

const DAY_MS = 86_400_000;

function budgetPeriod(limits: LimitSet, now: Date): { id: string; endsAt: Date } {
  if (limits.budgetPeriod === "day") return { id: `d${utcDayKey(now)}`, endsAt: nextUtcDay(now) };
  return { id: `m${utcDayKey(now).slice(0, 7)}`, endsAt: nextUtcMonth(now) };
}

function scopeUse(scope: QuotaScope, values: (number | string)[], now: Date): ScopeUse {
  return {
    scope,
    requests: Number(values[0]),
    tokens: Number(values[1]),
    requestsToday: Number(values[2]),
    inFlight: Number(values[3]),
    budgetUsedMicros: BigInt(values[4] ?? 0),
    windowResetMs: Number(values[5] ?? 60_000),
    budgetResetAt: scope.limits.budgetMicros === null ? null : budgetPeriod(scope.limits, now).endsAt,
  };
}

const limitArg = (value: number | bigint | null) => (value === null ? "-1" : String(value));

/**
 * Rate limits and budgets, exact under concurrency and across gateways:
 * one Lua script checks and takes every limit of every scope, or nothing;
 * settlement trues tokens and money up to what was used. Reservations of
 * requests that never settle are released when their lease runs out.
 */
export class QuotaGate {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    /** How long a reservation holds without settlement: longer than any request may take. */
    private readonly leaseMs = 180_000,
  ) {}

  #keys(scopes: QuotaScope[], now: Date): string[] {
    return scopes.flatMap((scope) => {
      const base = `${this.prefix}:quota:{${scope.tenantId}}:${scope.kind}:${scope.id}`;
      return [
        `${base}:log`,
        `${base}:tokens`,
        `${base}:day:${utcDayKey(now)}`,
        `${base}:inflight`,
        `${base}:budget:${budgetPeriod(scope.limits, now).id}`,
        `${base}:reservations`,
        `${base}:leases`,
      ];
    });
  }

  /** `clock`: the caller's instant for the script's clock (tests); otherwise the script reads Redis's. */
  #args(
    requestId: string,
    tokens: number,
    costMicros: bigint,
    scopes: QuotaScope[],
    now: Date,
    clock: Date | undefined,
  ): string[] {
    const dayTtl = Math.ceil((nextUtcDay(now).getTime() - now.getTime()) / 1000) + 3600;
    const budgetEnds = scopes.map((scope) => budgetPeriod(scope.limits, now).endsAt.getTime());
    const budgetTtl = Math.ceil((Math.max(...budgetEnds) - now.getTime()) / 1000) + DAY_MS / 1000;
    return [
      requestId,
      String(tokens),
      String(costMicros),
      String(this.leaseMs),
      String(dayTtl),
      String(budgetTtl),
      String(scopes.length),
      clock ? String(clock.getTime()) : "",
      ...scopes.flatMap(({ limits }) => [
        limitArg(limits.rpm),
        limitArg(limits.tpm),
        limitArg(limits.rpd),
        limitArg(limits.concurrent),
        limitArg(limits.budgetMicros),
      ]),
    ];
  }

  /** Each scope's use now, taking nothing: what the console and CLI show against each limit. */
  async usage(scopes: QuotaScope[], clock?: Date): Promise<ScopeUse[]> {
    if (scopes.length === 0) return [];
    const now = clock ?? new Date();
    const reply = (await runScript(
      this.redis,
      USAGE_SCRIPT,
      this.#keys(scopes, now),
      this.#args("", 0, 0n, scopes, now, clock),
    )) as (number | string)[];
    return scopes.map((scope, i) => scopeUse(scope, reply.slice(i * 6, i * 6 + 6), now));
  }

  /** `now`, when given, is the clock of the limits too (tests move it); by default they run on Redis's. */
  async admit(request: {
    requestId: string;
    scopes: QuotaScope[];
    tokens: number;
    costMicros: bigint;
    now?: Date;
  }): Promise<Admission> {
    const now = request.now ?? new Date();
    const { scopes } = request;
    if (scopes.length === 0) return { admitted: true, uses: [] };
    const args = this.#args(request.requestId, request.tokens, request.costMicros, scopes, now, request.now);
    const reply = (await runScript(this.redis, ADMIT_SCRIPT, this.#keys(scopes, now), args)) as (number | string)[];
    const use = (scope: QuotaScope, values: (number | string)[]) => scopeUse(scope, values, now);
    if (Number(reply[0]) === 1) {
      return {
        admitted: true,
        uses: scopes.map((scope, i) => use(scope, reply.slice(4 + i * 6, 10 + i * 6))),
      };
    }
    const failed = scopes[Number(reply[1]) - 1] ?? scopes[0];
    if (!failed) throw new Error("admission refused without naming a scope");
    return {
      admitted: false,
      scope: failed,
      limit: String(reply[2]) as LimitName,
      retryAfterMs: Math.max(1, Number(reply[3])),
      use: use(failed, reply.slice(4, 10)),
    };
  }

  /** Trues the request up to what it used, in every scope; a second call changes nothing. */
  async settle(request: { requestId: string; scopes: QuotaScope[]; tokens: number; costMicros: bigint; now?: Date }) {
    if (request.scopes.length === 0) return;
    // Keys are named for the admission's day and period; a settlement just after midnight still finds the reservation by its own record.
    const keys = this.#keys(request.scopes, request.now ?? new Date());
    await runScript(this.redis, SETTLE_SCRIPT, keys, [
      request.requestId,
      String(request.tokens),
      String(request.costMicros),
      String(request.scopes.length),
    ]);
  }
}
