import type { Redis } from "ioredis";
import { ADMIT_SCRIPT, SEED_SCRIPT, SETTLE_SCRIPT, USAGE_SCRIPT } from "./admission-script.ts";
import type { LimitName, LimitSet } from "./limits.ts";
import { nextUtcDay, nextUtcMonth, startOfUtcDay, utcDayKey } from "../time/utc-calendar.ts";
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
  | { admitted: false; scope: QuotaScope; limit: LimitName; retryAfterMs: number; use: ScopeUse }
  /** The scope's budget counter must first be seeded from the ledger (`seed`); then ask again. */
  | { admitted: false; unseeded: QuotaScope };

/** What an admitted request holds until it settles: enough to settle it, or to restore it. */
export interface Reservation {
  requestId: string;
  scopes: QuotaScope[];
  tokens: number;
  costMicros: bigint;
}

const DAY_MS = 86_400_000;

/** The budget period of an instant: its id in key names, and when it starts and ends. */
export function budgetPeriod(limits: LimitSet, now: Date): { id: string; start: Date; endsAt: Date } {
  if (limits.budgetPeriod === "day")
    return { id: `d${utcDayKey(now)}`, start: startOfUtcDay(now), endsAt: nextUtcDay(now) };
  return {
    id: `m${utcDayKey(now).slice(0, 7)}`,
    start: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)),
    endsAt: nextUtcMonth(now),
  };
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
const hasBudget = (scope: QuotaScope) => scope.limits.budgetMicros !== null;

/**
 * Rate limits and budgets, exact under concurrency and across gateways:
 * one Lua script checks and takes every limit of every scope, or nothing;
 * settlement trues tokens and money up to what was used. Reservations of
 * requests that never settle are released when their lease runs out. A
 * budget's counter is seeded from the ledger before its first use in a
 * Redis (and whenever Redis has lost it), so a Redis that forgets never
 * gives inference away.
 */
export class QuotaGate {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    /** How long a reservation holds without settlement: longer than any request may take. */
    private readonly leaseMs = 180_000,
  ) {}

  #base(scope: QuotaScope) {
    return `${this.prefix}:quota:{${scope.tenantId}}:${scope.kind}:${scope.id}`;
  }

  #keys(scopes: QuotaScope[], now: Date): string[] {
    return scopes.flatMap((scope) => {
      const base = this.#base(scope);
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

  /** Seconds the budget counters of these scopes live: their period, and a day to settle in. */
  #budgetTtl(scopes: QuotaScope[], now: Date) {
    const budgetEnds = scopes.map((scope) => budgetPeriod(scope.limits, now).endsAt.getTime());
    return Math.ceil((Math.max(...budgetEnds) - now.getTime()) / 1000) + DAY_MS / 1000;
  }

  /** `clock`: the caller's instant for the script's clock (tests); otherwise the script reads Redis's. */
  #args(
    request: Omit<Reservation, "scopes">,
    scopes: QuotaScope[],
    now: Date,
    clock: Date | undefined,
    force = false,
  ): string[] {
    const dayTtl = Math.ceil((nextUtcDay(now).getTime() - now.getTime()) / 1000) + 3600;
    return [
      request.requestId,
      String(request.tokens),
      String(request.costMicros),
      String(this.leaseMs),
      String(dayTtl),
      String(this.#budgetTtl(scopes, now)),
      String(scopes.length),
      clock ? String(clock.getTime()) : "",
      force ? "1" : "0",
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
      this.#args({ requestId: "", tokens: 0, costMicros: 0n }, scopes, now, clock),
    )) as (number | string)[];
    return scopes.map((scope, i) => scopeUse(scope, reply.slice(i * 6, i * 6 + 6), now));
  }

  /** `now`, when given, is the clock of the limits too (tests move it); by default they run on Redis's. */
  async admit(request: Reservation & { now?: Date }): Promise<Admission> {
    const now = request.now ?? new Date();
    const { scopes } = request;
    if (scopes.length === 0) return { admitted: true, uses: [] };
    const args = this.#args(request, scopes, now, request.now);
    const reply = (await runScript(this.redis, ADMIT_SCRIPT, this.#keys(scopes, now), args)) as (number | string)[];
    const use = (scope: QuotaScope, values: (number | string)[]) => scopeUse(scope, values, now);
    if (Number(reply[0]) === 1) {
      return {
        admitted: true,
        uses: scopes.map((scope, i) => use(scope, reply.slice(4 + i * 6, 10 + i * 6))),
      };
    }
    const failed = scopes[Number(reply[1]) - 1];
    if (!failed) throw new Error("admission refused without naming a scope");
    if (Number(reply[0]) === 2) return { admitted: false, unseeded: failed };
    return {
      admitted: false,
      scope: failed,
      limit: String(reply[2]) as LimitName,
      retryAfterMs: Math.max(1, Number(reply[3])),
      use: use(failed, reply.slice(4, 10)),
    };
  }

  /**
   * Takes a request's limits again without checking them: Redis lost them
   * (its data) while the request was in flight, and it will still settle.
   */
  async restore(request: Reservation & { now?: Date }): Promise<void> {
    const now = request.now ?? new Date();
    if (request.scopes.length === 0) return;
    const args = this.#args(request, request.scopes, now, request.now, true);
    await runScript(this.redis, ADMIT_SCRIPT, this.#keys(request.scopes, now), args);
  }

  /**
   * Trues the request up to what it used, in every scope (the scopes as
   * admitted); a second call changes nothing.
   */
  async settle(request: Reservation & { now?: Date }) {
    if (request.scopes.length === 0) return;
    // Keys are named for the admission's day and period; a settlement just after midnight still finds the reservation by its own record.
    const keys = this.#keys(request.scopes, request.now ?? new Date());
    await runScript(this.redis, SETTLE_SCRIPT, keys, [
      request.requestId,
      String(request.tokens),
      String(request.costMicros),
      String(request.scopes.length),
      request.now ? String(request.now.getTime()) : "",
      String(this.leaseMs),
      ...request.scopes.map((scope) => (hasBudget(scope) ? "1" : "0")),
    ]);
  }

  /**
   * Seeds a scope's budget counter for the period of `now` from the ledger
   * (`ledgerMicros`: what it holds for that period), or reconciles a seeded
   * one: the counter becomes at least the ledger plus what is reserved now.
   */
  async seed(scope: QuotaScope, ledgerMicros: bigint, now = new Date()): Promise<bigint> {
    const [, , , , counter = "", reservations = ""] = this.#keys([scope], now);
    const budgetTtl = this.#budgetTtl([scope], now);
    const value = await runScript(
      this.redis,
      SEED_SCRIPT,
      [counter, reservations],
      [String(ledgerMicros), String(budgetTtl), String(Math.max(this.leaseMs * 2, budgetTtl * 1000))],
    );
    return BigInt(value as number | string);
  }
}
