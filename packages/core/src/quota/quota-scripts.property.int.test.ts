import { randomBytes } from "node:crypto";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRedis } from "../redis/create-redis.ts";
import { propertyRuns } from "../testing/property-runs.ts";
import { testRedisUrl } from "../testing/test-redis-url.ts";
import type { LimitSet } from "./limits.ts";
import { QuotaGate, type Admission, type QuotaScope } from "./quota-gate.ts";
import { QuotaModel, type ModelDecision, type ModelUse } from "./testing/quota-model.ts";

/** Leases run out on the limits' clock (which the tests move), never on Redis's own key expiry. */
const LEASE_MS = 600_000;
const connections = Array.from({ length: 3 }, (_, i) => createRedis(testRedisUrl(), "client", `quota-property-${i}`));
const prefix = `qp${randomBytes(4).toString("hex")}`;
const gates = connections.map((redis) => new QuotaGate(redis, prefix, LEASE_MS));
const [gate] = gates as [QuotaGate];

beforeAll(async () => {
  await Promise.all(connections.map((redis) => redis.connect()));
});
afterAll(() => {
  for (const redis of connections) redis.disconnect();
});

interface Admitted {
  requestId: string;
  scopes: QuotaScope[];
}

/** The model, the limits' clock and the requests in flight: what the commands share. */
interface World {
  model: QuotaModel;
  now: number;
  tenantId: string;
  /** Who may call: key A with its tenant, key B with its tenant, the tenant alone. */
  callers: QuotaScope[][];
  /** What the ledger holds for a counter when it is seeded (per scope). */
  ledger: Map<QuotaScope, bigint>;
  pending: Admitted[];
  /** In flight when Redis lost its data, and not restored yet. */
  lost: Admitted[];
  settled: (Admitted & { tokens: number; costMicros: bigint })[];
  next: number;
}

const toModelUse = (use: Admission extends infer A ? (A extends { uses: (infer U)[] } ? U : never) : never) => ({
  requests: use.requests,
  tokens: use.tokens,
  requestsToday: use.requestsToday,
  inFlight: use.inFlight,
  budgetUsedMicros: use.budgetUsedMicros,
  windowResetMs: use.windowResetMs,
});

/** The real decision in the model's terms. */
function asModelDecision(decision: Admission, scopes: QuotaScope[]): ModelDecision {
  if (decision.admitted) return { admitted: true, uses: decision.uses.map(toModelUse) };
  if ("unseeded" in decision) return { admitted: false, unseeded: scopes.indexOf(decision.unseeded) };
  return {
    admitted: false,
    scopeIndex: scopes.indexOf(decision.scope),
    limit: decision.limit,
    retryAfterMs: decision.retryAfterMs,
    use: toModelUse(decision.use),
  };
}

function expectDecision(actual: Admission, expected: ModelDecision, scopes: QuotaScope[]) {
  const real = asModelDecision(actual, scopes);
  // The day's and the budget's retry-after are their keys' TTL, on Redis's own clock: only their sign is modelled.
  if ("retryAfterMs" in real && "retryAfterMs" in expected && expected.retryAfterMs === null) {
    expect(real.retryAfterMs).toBeGreaterThan(0);
    expect({ ...real, retryAfterMs: null }).toEqual(expected);
  } else expect(real).toEqual(expected);
}

async function expectSameUse(world: World) {
  const scopes = [...new Set(world.callers.flat())];
  const real = (await gate.usage(scopes, new Date(world.now))).map(toModelUse);
  const expected: ModelUse[] = world.model.usage(scopes, world.now);
  expect(real).toEqual(expected);
}

const nextId = (world: World) => `req_qp${(world.next += 1)}`;

/**
 * Admits as the gateway does: a budget counter not seeded yet is seeded from
 * the ledger (here: the world's figure for that scope), then asked again.
 */
async function admitBoth(world: World, real: QuotaGate, request: Admitted & { tokens: number; costMicros: bigint }) {
  for (let attempt = 0; ; attempt++) {
    const expected = world.model.admit({ ...request, now: world.now });
    const actual = await real.admit({ ...request, now: new Date(world.now) });
    expectDecision(actual, expected, request.scopes);
    if (!("unseeded" in actual) || attempt > 0) return actual;
    const ledger = world.ledger.get(actual.unseeded) ?? 0n;
    expect(await real.seed(actual.unseeded, ledger, new Date(world.now))).toBe(
      world.model.seed(actual.unseeded, ledger, world.now),
    );
  }
}

class Admit implements fc.AsyncCommand<World, QuotaGate> {
  constructor(
    readonly caller: number,
    readonly tokens: number,
    readonly costMicros: bigint,
  ) {}
  check = () => true;
  async run(world: World, real: QuotaGate) {
    const scopes = world.callers[this.caller] ?? [];
    const request = { requestId: nextId(world), scopes, tokens: this.tokens, costMicros: this.costMicros };
    const actual = await admitBoth(world, real, request);
    if (actual.admitted) world.pending.push({ requestId: request.requestId, scopes });
    await expectSameUse(world);
  }
  toString = () => `admit(caller ${this.caller}, ${this.tokens} tokens, ${this.costMicros} µ)`;
}

/** Identical requests at once over several connections: whatever order Redis ran them in, they are one of its orders. */
class AdmitConcurrently implements fc.AsyncCommand<World, QuotaGate> {
  constructor(
    readonly caller: number,
    readonly count: number,
    readonly tokens: number,
    readonly costMicros: bigint,
  ) {}
  check = () => true;
  async run(world: World, real: QuotaGate) {
    const scopes = world.callers[this.caller] ?? [];
    // Seeded first (as the gateway would, after the first of them asked): then they race on the limits alone.
    await admitBoth(world, real, { requestId: nextId(world), scopes, tokens: 0, costMicros: 0n }).then(
      (decision) => decision.admitted && world.pending.push({ requestId: `req_qp${world.next}`, scopes }),
    );
    const requests = Array.from({ length: this.count }, () => ({
      requestId: nextId(world),
      scopes,
      tokens: this.tokens,
      costMicros: this.costMicros,
    }));
    const decisions = await Promise.all(
      requests.map((request, i) => (gates[i % gates.length] ?? gate).admit({ ...request, now: new Date(world.now) })),
    );
    // Redis ran the admitted ones first, in the order of the count each saw; every later one was refused alike.
    const order = requests
      .map((request, i) => ({ request, decision: decisions[i] as Admission }))
      .sort((a, b) => rank(a.decision) - rank(b.decision));
    for (const { request, decision } of order) {
      expectDecision(decision, world.model.admit({ ...request, now: world.now }), scopes);
      if (decision.admitted) world.pending.push({ requestId: request.requestId, scopes });
    }
    await expectSameUse(world);
  }
  toString = () => `admit ${this.count} at once(caller ${this.caller}, ${this.tokens} tokens, ${this.costMicros} µ)`;
}

const rank = (decision: Admission) => (decision.admitted ? (decision.uses[0]?.requests ?? 0) : Number.MAX_SAFE_INTEGER);

class Settle implements fc.AsyncCommand<World, QuotaGate> {
  constructor(
    readonly pick: number,
    readonly tokens: number,
    readonly costMicros: bigint,
    readonly count: number,
  ) {}
  check = (world: Readonly<World>) => world.pending.length > 0;
  async run(world: World, real: QuotaGate) {
    const chosen = world.pending.splice(this.pick % world.pending.length, this.count);
    world.lost = world.lost.filter((lost) => !chosen.includes(lost));
    const settlements = chosen.map((admitted) => ({ ...admitted, tokens: this.tokens, costMicros: this.costMicros }));
    // Settlements of different requests commute: at once over several connections, as gateways send them.
    await Promise.all(
      settlements.map((settlement, i) =>
        (gates[i % gates.length] ?? real).settle({ ...settlement, now: new Date(world.now) }),
      ),
    );
    for (const settlement of settlements) world.model.settle({ ...settlement, now: world.now });
    world.settled.push(...settlements);
    await expectSameUse(world);
  }
  toString = () => `settle ${this.count} (#${this.pick}, ${this.tokens} tokens, ${this.costMicros} µ)`;
}

/** A settlement sent again (a retry) changes nothing. */
class SettleAgain implements fc.AsyncCommand<World, QuotaGate> {
  constructor(readonly pick: number) {}
  check = (world: Readonly<World>) => world.settled.length > 0;
  async run(world: World, real: QuotaGate) {
    const settlement = world.settled[this.pick % world.settled.length] as World["settled"][number];
    world.model.settle({ ...settlement, now: world.now });
    await real.settle({ ...settlement, now: new Date(world.now) });
    await expectSameUse(world);
  }
  toString = () => `settle again #${this.pick}`;
}

/** An operator's periodic reconciliation: the counter is raised to the ledger (a new figure) plus what is reserved. */
class Reconcile implements fc.AsyncCommand<World, QuotaGate> {
  constructor(
    readonly pick: number,
    readonly ledgerMicros: bigint,
  ) {}
  check = () => true;
  async run(world: World, real: QuotaGate) {
    const scopes = [...new Set(world.callers.flat())].filter((scope) => scope.limits.budgetMicros !== null);
    const scope = scopes[this.pick % Math.max(1, scopes.length)];
    if (!scope) return;
    world.ledger.set(scope, this.ledgerMicros);
    expect(await real.seed(scope, this.ledgerMicros, new Date(world.now))).toBe(
      world.model.seed(scope, this.ledgerMicros, world.now),
    );
    await expectSameUse(world);
  }
  toString = () => `reconcile #${this.pick} with ${this.ledgerMicros} µ in the ledger`;
}

/** Redis loses the tenant's limits (a restart without persistence, FLUSHALL). */
class LoseData implements fc.AsyncCommand<World, QuotaGate> {
  check = () => true;
  async run(world: World) {
    const keys = await connections[0]?.keys(`${prefix}:quota:{${world.tenantId}}:*`);
    if (keys?.length) await connections[0]?.del(...keys);
    world.model.forget();
    world.lost = [...world.pending];
    await expectSameUse(world);
  }
  toString = () => "Redis loses the limits";
}

/** A gateway takes its requests in flight again after the loss: they will still settle. */
class Restore implements fc.AsyncCommand<World, QuotaGate> {
  constructor(
    readonly pick: number,
    readonly tokens: number,
    readonly costMicros: bigint,
  ) {}
  check = (world: Readonly<World>) => world.lost.length > 0;
  async run(world: World, real: QuotaGate) {
    const [lost] = world.lost.splice(this.pick % world.lost.length, 1);
    if (!lost) return;
    const request = { ...lost, tokens: this.tokens, costMicros: this.costMicros };
    world.model.admit({ ...request, now: world.now }, true);
    await real.restore({ ...request, now: new Date(world.now) });
    await expectSameUse(world);
  }
  toString = () => `restore lost #${this.pick} (${this.tokens} tokens, ${this.costMicros} µ)`;
}

class MoveClock implements fc.AsyncCommand<World, QuotaGate> {
  constructor(readonly ms: number) {}
  check = () => true;
  async run(world: World) {
    world.now += this.ms;
    await expectSameUse(world);
  }
  toString = () => `clock ${this.ms >= 0 ? "+" : ""}${this.ms} ms`;
}

const limit = (max: number) => fc.option(fc.integer({ min: 0, max }), { nil: null, freq: 3 });
const limits: fc.Arbitrary<LimitSet> = fc.record({
  rpm: limit(12),
  tpm: fc.option(fc.oneof(fc.integer({ min: 0, max: 2_000 }), fc.integer({ min: 1, max: 2 ** 40 })), { nil: null }),
  rpd: limit(40),
  concurrent: limit(8),
  budgetMicros: fc.option(fc.oneof(fc.bigInt({ min: 0n, max: 100_000n }), fc.bigInt({ min: 0n, max: 2n ** 50n })), {
    nil: null,
  }),
  budgetPeriod: fc.constantFrom("day" as const, "month" as const),
});
const tokens = fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 500 }), fc.integer({ min: 0, max: 2 ** 36 }));
const cost = fc.oneof(fc.constant(0n), fc.bigInt({ min: 0n, max: 20_000n }), fc.bigInt({ min: 0n, max: 2n ** 44n }));
const caller = fc.integer({ min: 0, max: 2 });
const clockStep = fc.oneof(
  fc.integer({ min: 1, max: 2_000 }),
  fc.integer({ min: 59_000, max: 61_000 }),
  fc.integer({ min: LEASE_MS - 1_000, max: LEASE_MS + 1_000 }),
  fc.constantFrom(3_600_000, 86_400_000, 31 * 86_400_000),
  // Clocks step back too (another Redis after a failover, a corrected host clock).
  fc.integer({ min: -2_000, max: -1 }),
);
const commands = fc.commands(
  [
    fc.tuple(caller, tokens, cost).map(([who, amount, micros]) => new Admit(who, amount, micros)),
    fc
      .tuple(caller, fc.integer({ min: 2, max: 16 }), tokens, cost)
      .map(([who, count, amount, micros]) => new AdmitConcurrently(who, count, amount, micros)),
    fc
      .tuple(fc.nat(), tokens, cost, fc.integer({ min: 1, max: 6 }))
      .map(([pick, amount, micros, count]) => new Settle(pick, amount, micros, count)),
    fc.nat().map((pick) => new SettleAgain(pick)),
    clockStep.map((ms) => new MoveClock(ms)),
    fc.tuple(fc.nat(), cost).map(([pick, micros]) => new Reconcile(pick, micros)),
    fc.constant(new LoseData()),
    fc.tuple(fc.nat(), tokens, cost).map(([pick, amount, micros]) => new Restore(pick, amount, micros)),
  ],
  { maxCommands: 60, size: "max" },
);
// Starts near the end of a month, so that days and months turn over within a run.
const start = fc.integer({ min: 0, max: 4 * 86_400_000 }).map((ms) => Date.UTC(2026, 11, 28) + ms);

describe("the admission scripts against their model", () => {
  it("answer and count as the model does over random admissions, settlements, clock jumps and concurrent callers", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.tuple(limits, limits, limits),
        fc.tuple(cost, cost, cost),
        start,
        commands,
        async ([keyA, keyB, tenant], ledgers, now, steps) => {
          const tenantId = `ten_${randomBytes(6).toString("hex")}`;
          const scope = (kind: "key" | "tenant", id: string, set: LimitSet): QuotaScope => ({
            kind,
            id,
            tenantId,
            limits: set,
          });
          const tenantScope = scope("tenant", tenantId, tenant);
          const [keyScopeA, keyScopeB] = [scope("key", "key_a", keyA), scope("key", "key_b", keyB)];
          const world: World = {
            model: new QuotaModel(LEASE_MS),
            now,
            tenantId,
            callers: [[keyScopeA, tenantScope], [keyScopeB, tenantScope], [tenantScope]],
            ledger: new Map([keyScopeA, keyScopeB, tenantScope].map((one, i) => [one, ledgers[i] ?? 0n])),
            pending: [],
            lost: [],
            settled: [],
            next: 0,
          };
          await fc.asyncModelRun(() => ({ model: world, real: gate }), steps);
        },
      ),
      { numRuns: propertyRuns(40) },
    );
  }, 600_000);
});
