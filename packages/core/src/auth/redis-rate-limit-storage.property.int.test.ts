import { randomBytes } from "node:crypto";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { createRedis } from "../redis/create-redis.ts";
import { propertyRuns } from "../testing/property-runs.ts";
import { testRedisUrl } from "../testing/test-redis-url.ts";
import { redisRateLimitStorage } from "./redis-rate-limit-storage.ts";

const connections = Array.from({ length: 3 }, (_, i) =>
  createRedis(testRedisUrl(), "client", `auth-rate-property-${i}`),
);
const [redis] = connections as [ReturnType<typeof createRedis>];
const prefix = `arp${randomBytes(4).toString("hex")}:`;
const storages = connections.map((connection) => redisRateLimitStorage(connection, prefix));
const [storage] = storages as [ReturnType<typeof redisRateLimitStorage>];
afterAll(() => {
  for (const connection of connections) connection.disconnect();
});

/** A window far longer than a run: it ends only when a command says so. */
const WINDOW_SECONDS = 3600;

interface World {
  rules: { key: string; max: number }[];
  /** Requests counted in each key's current window. */
  counts: Map<string, number>;
}

type Command = fc.AsyncCommand<World, null>;

const ruleOf = (world: World, pick: number) => world.rules[pick % world.rules.length] ?? { key: "", max: 0 };

/** `count` sign-in attempts at once, from as many console processes. */
const consume = (pick: number, count: number): Command => ({
  check: () => true,
  async run(world) {
    const { key, max } = ruleOf(world, pick);
    const answers = await Promise.all(
      Array.from({ length: count }, (_, i) =>
        (storages[i % storages.length] ?? storage).consume(key, { window: WINDOW_SECONDS, max }),
      ),
    );
    const before = world.counts.get(key) ?? 0;
    world.counts.set(key, before + count);
    // Whatever the order, the first `max` of the window are allowed and every later one refused.
    const allowed = Math.min(count, Math.max(0, max - before));
    expect(answers.filter((answer) => answer.allowed)).toHaveLength(allowed);
    for (const answer of answers.filter((one) => !one.allowed)) {
      expect(answer.retryAfter).toBeGreaterThanOrEqual(1);
      expect(answer.retryAfter).toBeLessThanOrEqual(WINDOW_SECONDS);
    }
    expect(await redis.ttl(`${prefix}${key}`)).toBeGreaterThan(0);
  },
  toString: () => `consume ${count} of #${pick}`,
});

/** The window ends (its key expires). */
const windowEnds = (pick: number): Command => ({
  check: () => true,
  async run(world) {
    const { key } = ruleOf(world, pick);
    await redis.del(`${prefix}${key}`);
    world.counts.set(key, 0);
  },
  toString: () => `window of #${pick} ends`,
});

/** The counter lost its expiry (restored from a dump, touched by hand): it must not refuse for ever. */
const losesExpiry = (pick: number): Command => ({
  check: () => true,
  async run(world) {
    await redis.persist(`${prefix}${ruleOf(world, pick).key}`);
  },
  toString: () => `counter of #${pick} loses its expiry`,
});

const commands = fc.commands(
  [
    fc.tuple(fc.nat(), fc.integer({ min: 1, max: 12 })).map(([pick, count]) => consume(pick, count)),
    fc.nat().map(windowEnds),
    fc.nat().map(losesExpiry),
  ],
  { maxCommands: 30, size: "max" },
);

describe("the console's rate-limit script against its model", () => {
  it("allows exactly `max` per window under concurrent callers, and every counter keeps an expiry", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 10 }), { minLength: 1, maxLength: 3 }),
        commands,
        async (maxes, steps) => {
          const world: World = {
            rules: maxes.map((max) => ({ key: `sign-in:${randomBytes(6).toString("hex")}`, max })),
            counts: new Map(),
          };
          await fc.asyncModelRun(() => ({ model: world, real: null }), steps);
        },
      ),
      { numRuns: propertyRuns(25) },
    );
  }, 600_000);
});
