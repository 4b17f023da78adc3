import type { LimitName } from "../limits.ts";
import type { QuotaScope } from "../quota-gate.ts";
import { utcDayKey } from "../../time/utc-calendar.ts";

/** The six figures admission reports per scope. */
export interface ModelUse {
  requests: number;
  tokens: number;
  requestsToday: number;
  inFlight: number;
  budgetUsedMicros: bigint;
  windowResetMs: number;
}

export type ModelDecision =
  | { admitted: true; uses: ModelUse[] }
  | {
      admitted: false;
      scopeIndex: number;
      limit: LimitName;
      /** Known for the windows and concurrency; the day and budget report their keys' TTL (not modelled). */
      retryAfterMs: number | null;
      use: ModelUse;
    };

interface ScopeState {
  /** requestId -> admitted at (ms) */
  log: Map<string, number>;
  /** requestId -> tokens counted in the minute's window */
  tokens: Map<string, number>;
  sum: number;
  /** requestId -> lease expiry (ms) */
  inflight: Map<string, number>;
  /** requestId -> the budget counter it reserved on and how much */
  reservations: Map<string, { counter: string; amount: bigint }>;
  /** requestId -> reservation lease expiry (ms) */
  leases: Map<string, number>;
}

const WINDOW_MS = 60_000;

/**
 * The rules of admission and settlement (admission-script.ts) in plain
 * TypeScript, on plain maps: what the Lua scripts must answer and count,
 * step for step. Property tests run both and compare.
 */
export class QuotaModel {
  readonly #scopes = new Map<string, ScopeState>();
  /** Day and budget counters by name (a counter exists once something was counted on it). */
  readonly #counters = new Map<string, bigint>();

  constructor(private readonly leaseMs: number) {}

  #state(scope: QuotaScope): ScopeState {
    const id = `${scope.kind}:${scope.id}`;
    let state = this.#scopes.get(id);
    if (!state) {
      state = {
        log: new Map(),
        tokens: new Map(),
        sum: 0,
        inflight: new Map(),
        reservations: new Map(),
        leases: new Map(),
      };
      this.#scopes.set(id, state);
    }
    return state;
  }

  #dayCounter(scope: QuotaScope, now: number) {
    return `${scope.kind}:${scope.id}:day:${utcDayKey(new Date(now))}`;
  }

  #budgetCounter(scope: QuotaScope, now: number) {
    const day = utcDayKey(new Date(now));
    const period = scope.limits.budgetPeriod === "day" ? `d${day}` : `m${day.slice(0, 7)}`;
    return `${scope.kind}:${scope.id}:budget:${period}`;
  }

  #sweep(state: ScopeState, now: number) {
    for (const [id, at] of state.log) {
      if (at > now - WINDOW_MS) continue;
      state.sum -= state.tokens.get(id) ?? 0;
      state.tokens.delete(id);
      state.log.delete(id);
    }
    for (const [id, expiry] of state.inflight) if (expiry <= now) state.inflight.delete(id);
    for (const [id, expiry] of state.leases) {
      if (expiry > now) continue;
      const reservation = state.reservations.get(id);
      if (reservation) {
        const value = this.#counters.get(reservation.counter);
        if (value !== undefined) this.#counters.set(reservation.counter, value - reservation.amount);
        state.reservations.delete(id);
      }
      state.leases.delete(id);
    }
  }

  #use(scope: QuotaScope, state: ScopeState, now: number): ModelUse {
    const oldest = Math.min(...state.log.values());
    return {
      requests: state.log.size,
      tokens: state.sum,
      requestsToday: Number(this.#counters.get(this.#dayCounter(scope, now)) ?? 0n),
      inFlight: state.inflight.size,
      budgetUsedMicros: this.#counters.get(this.#budgetCounter(scope, now)) ?? 0n,
      windowResetMs: state.log.size === 0 ? WINDOW_MS : Math.max(1, oldest + WINDOW_MS - now),
    };
  }

  admit(request: { requestId: string; scopes: QuotaScope[]; tokens: number; costMicros: bigint; now: number }) {
    const { requestId, scopes, tokens, costMicros: cost, now } = request;
    const uses: ModelUse[] = [];
    for (const [index, scope] of scopes.entries()) {
      const state = this.#state(scope);
      this.#sweep(state, now);
      const use = this.#use(scope, state, now);
      uses.push(use);
      const { rpm, tpm, rpd, concurrent, budgetMicros } = scope.limits;
      const refuse = (limit: LimitName, retryAfterMs: number | null): ModelDecision => ({
        admitted: false,
        scopeIndex: index,
        limit,
        retryAfterMs,
        use,
      });
      if (rpm !== null && use.requests + 1 > rpm) return refuse("rpm", use.windowResetMs);
      if (tpm !== null && use.tokens + tokens > tpm) return refuse("tpm", use.windowResetMs);
      if (rpd !== null && use.requestsToday + 1 > rpd) return refuse("rpd", null);
      if (concurrent !== null && use.inFlight + 1 > concurrent) return refuse("concurrent", 1000);
      if (budgetMicros !== null && use.budgetUsedMicros + cost > budgetMicros) return refuse("budget", null);
    }
    for (const scope of scopes) {
      const state = this.#state(scope);
      state.log.set(requestId, now);
      state.tokens.set(requestId, tokens);
      state.sum += tokens;
      const day = this.#dayCounter(scope, now);
      this.#counters.set(day, (this.#counters.get(day) ?? 0n) + 1n);
      state.inflight.set(requestId, now + this.leaseMs);
      const budget = this.#budgetCounter(scope, now);
      this.#counters.set(budget, (this.#counters.get(budget) ?? 0n) + cost);
      state.reservations.set(requestId, { counter: budget, amount: cost });
      state.leases.set(requestId, now + this.leaseMs);
    }
    const decision: ModelDecision = {
      admitted: true,
      uses: uses.map((use) => ({
        ...use,
        requests: use.requests + 1,
        tokens: use.tokens + tokens,
        requestsToday: use.requestsToday + 1,
        inFlight: use.inFlight + 1,
        budgetUsedMicros: use.budgetUsedMicros + cost,
      })),
    };
    return decision;
  }

  /** Returns whether any scope still held the request's reservation. */
  settle(request: { requestId: string; scopes: QuotaScope[]; tokens: number; costMicros: bigint }): boolean {
    let settled = false;
    for (const scope of request.scopes) {
      const state = this.#state(scope);
      const reserved = state.tokens.get(request.requestId);
      if (reserved !== undefined) {
        state.sum += request.tokens - reserved;
        state.tokens.set(request.requestId, request.tokens);
      }
      state.inflight.delete(request.requestId);
      const reservation = state.reservations.get(request.requestId);
      if (reservation) {
        const value = this.#counters.get(reservation.counter);
        if (value !== undefined)
          this.#counters.set(reservation.counter, value + request.costMicros - reservation.amount);
        state.reservations.delete(request.requestId);
        state.leases.delete(request.requestId);
        settled = true;
      }
    }
    return settled;
  }

  usage(scopes: QuotaScope[], now: number): ModelUse[] {
    return scopes.map((scope) => {
      const state = this.#state(scope);
      this.#sweep(state, now);
      return this.#use(scope, state, now);
    });
  }
}
