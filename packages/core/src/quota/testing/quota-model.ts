import type { LimitName } from "../limits.ts";
import type { QuotaScope, ScopeUse } from "../quota-gate.ts";
import { utcDayKey } from "../../time/utc-calendar.ts";

/** The six figures admission reports per scope. */
export type ModelUse = Omit<ScopeUse, "scope" | "budgetResetAt">;

export type ModelDecision =
  | { admitted: true; uses: ModelUse[] }
  | {
      admitted: false;
      scopeIndex: number;
      limit: LimitName;
      /** Known for the windows and concurrency; the day and budget report their keys' TTL (not modelled). */
      retryAfterMs: number | null;
      use: ModelUse;
    }
  | { admitted: false; unseeded: number };

interface ScopeState {
  /** requestId -> admitted at (ms) */
  log: Map<string, number>;
  /** requestId -> tokens counted in the minute's window */
  tokens: Map<string, number>;
  sum: number;
  /** requestId -> lease expiry (ms) */
  inflight: Map<string, number>;
  /** requestId -> the budget counter it reserved on and how much, or "settled" once settled */
  reservations: Map<string, { counter: string; amount: bigint } | "settled">;
  /** Budget counters seeded from the ledger. */
  seeded: Set<string>;
  /** requestId -> reservation lease expiry (ms) */
  leases: Map<string, number>;
}

interface Request {
  requestId: string;
  scopes: QuotaScope[];
  tokens: number;
  costMicros: bigint;
}

const WINDOW_MS = 60_000;
const hasBudget = (scope: QuotaScope) => scope.limits.budgetMicros !== null;

/**
 * The rules of admission, settlement and seeding (admission-script.ts) in
 * plain TypeScript, on plain maps: what the Lua scripts must answer and
 * count, step for step. Property tests run both and compare.
 */
export class QuotaModel {
  #scopes = new Map<string, ScopeState>();
  /** Day and budget counters by name (a counter exists once something was counted on it). */
  #counters = new Map<string, bigint>();

  constructor(private readonly leaseMs: number) {}

  /** Redis lost everything (a restart without persistence, FLUSHALL). */
  forget() {
    this.#scopes = new Map();
    this.#counters = new Map();
  }

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
        seeded: new Set(),
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

  #add(counter: string, amount: bigint) {
    this.#counters.set(counter, (this.#counters.get(counter) ?? 0n) + amount);
  }

  /** Adds to a counter only if it exists (Redis: EXISTS, then INCRBY). */
  #addIfExists(counter: string, amount: bigint) {
    const value = this.#counters.get(counter);
    if (value !== undefined) this.#counters.set(counter, value + amount);
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
      if (reservation && reservation !== "settled") this.#addIfExists(reservation.counter, -reservation.amount);
      state.reservations.delete(id);
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

  /** Admission; `force` takes without checking (a reservation restored after Redis lost it). */
  admit(request: Request & { now: number }, force = false): ModelDecision {
    const { requestId, scopes, tokens, costMicros: cost, now } = request;
    const uses: ModelUse[] = [];
    for (const [index, scope] of scopes.entries()) {
      const state = this.#state(scope);
      this.#sweep(state, now);
      const use = this.#use(scope, state, now);
      uses.push(use);
      if (force) continue;
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
      if (budgetMicros !== null && !state.seeded.has(this.#budgetCounter(scope, now)))
        return { admitted: false, unseeded: index };
      if (budgetMicros !== null && use.budgetUsedMicros + cost > budgetMicros) return refuse("budget", null);
    }
    for (const scope of scopes) {
      const state = this.#state(scope);
      state.log.set(requestId, now);
      state.tokens.set(requestId, tokens);
      state.sum += tokens;
      this.#add(this.#dayCounter(scope, now), 1n);
      state.inflight.set(requestId, now + this.leaseMs);
      if (!hasBudget(scope)) continue;
      const counter = this.#budgetCounter(scope, now);
      this.#add(counter, cost);
      state.reservations.set(requestId, { counter, amount: cost });
      state.leases.set(requestId, now + this.leaseMs);
    }
    return {
      admitted: true,
      uses: uses.map((use, index) => ({
        ...use,
        requests: use.requests + 1,
        tokens: use.tokens + tokens,
        requestsToday: use.requestsToday + 1,
        inFlight: use.inFlight + 1,
        budgetUsedMicros: use.budgetUsedMicros + (hasBudget(scopes[index] as QuotaScope) ? cost : 0n),
      })),
    };
  }

  /** Returns in how many scopes the request's reservation was settled. */
  settle(request: Request & { now: number }): number {
    let settled = 0;
    for (const scope of request.scopes) {
      const state = this.#state(scope);
      const reserved = state.tokens.get(request.requestId);
      if (reserved !== undefined) {
        state.sum += request.tokens - reserved;
        state.tokens.set(request.requestId, request.tokens);
      }
      state.inflight.delete(request.requestId);
      if (!hasBudget(scope)) continue;
      const reservation = state.reservations.get(request.requestId);
      if (reservation === "settled") continue;
      if (reservation) {
        this.#addIfExists(reservation.counter, request.costMicros - reservation.amount);
      } else {
        // Its reservation ran out or was lost: its cost is in no counter yet.
        const counter = this.#budgetCounter(scope, request.now);
        if (state.seeded.has(counter)) this.#add(counter, request.costMicros);
        state.leases.set(request.requestId, request.now + this.leaseMs);
      }
      state.reservations.set(request.requestId, "settled");
      settled += 1;
    }
    return settled;
  }

  /** Seeds (or reconciles) a scope's budget counter: at least the ledger plus what is reserved on it. */
  seed(scope: QuotaScope, ledgerMicros: bigint, now: number): bigint {
    const state = this.#state(scope);
    const counter = this.#budgetCounter(scope, now);
    let floor = ledgerMicros;
    for (const reservation of state.reservations.values()) {
      if (reservation !== "settled" && reservation.counter === counter) floor += reservation.amount;
    }
    const current = this.#counters.get(counter) ?? 0n;
    if (current < floor) this.#counters.set(counter, floor);
    state.seeded.add(counter);
    return current > floor ? current : floor;
  }

  usage(scopes: QuotaScope[], now: number): ModelUse[] {
    return scopes.map((scope) => {
      const state = this.#state(scope);
      this.#sweep(state, now);
      return this.#use(scope, state, now);
    });
  }
}
