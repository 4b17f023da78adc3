import { randomBytes } from "node:crypto";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { createRedis } from "./create-redis.ts";
import { propertyRuns } from "../testing/property-runs.ts";
import { testRedisUrl } from "../testing/test-redis-url.ts";
import { consumeRateCounters } from "./rate-counters.ts";

const connections = Array.from({ length: 3 }, (_, i) =>
  createRedis(testRedisUrl(), "client", `auth-rate-property-${i}`),
);
const [redis] = connections as [ReturnType<typeof createRedis>];
const prefix = `arp${randomBytes(4).toString("hex")}:`;
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

/**
 * `count` attempts at once, from as many console processes, each counted in the
 * same counters (a sign-in: its IP's and its account's).
 */
const consume = (picks: number[], count: number): Command => ({
  check: () => true,
  async run(world) {
    const rules = [...new Set(picks.map((pick) => ruleOf(world, pick)))];
    const counters = rules.map(({ key, max }) => ({ key: `${prefix}${key}`, window: WINDOW_SECONDS, max }));
    const answers = await Promise.all(
      Array.from({ length: count }, (_, i) =>
        consumeRateCounters(connections[i % connections.length] ?? redis, counters),
      ),
    );
    // Whatever the order, attempts are allowed while every counter is below its max; a refused one counts nowhere.
    const room = Math.min(...rules.map(({ key, max }) => Math.max(0, max - (world.counts.get(key) ?? 0))));
    const allowed = Math.min(count, room);
    for (const { key } of rules) world.counts.set(key, (world.counts.get(key) ?? 0) + allowed);
    expect(answers.filter((answer) => answer.allowed)).toHaveLength(allowed);
    for (const answer of answers) {
      if (answer.allowed) continue;
      // The refusing counter is one that is full.
      expect(world.counts.get(answer.counter.key.slice(prefix.length))).toBeGreaterThanOrEqual(answer.counter.max);
      expect(answer.retryAfter).toBeGreaterThanOrEqual(1);
      expect(answer.retryAfter).toBeLessThanOrEqual(WINDOW_SECONDS);
    }
    for (const { key } of rules) {
      if ((world.counts.get(key) ?? 0) > 0) expect(await redis.ttl(`${prefix}${key}`)).toBeGreaterThan(0);
    }
  },
  toString: () => `consume ${count} in #${picks.join(",#")}`,
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
    fc
      .tuple(fc.array(fc.nat(), { minLength: 1, maxLength: 3 }), fc.integer({ min: 1, max: 12 }))
      .map(([picks, count]) => consume(picks, count)),
    fc.nat().map(windowEnds),
    fc.nat().map(losesExpiry),
  ],
  { maxCommands: 30, size: "max" },
);

describe("the console's rate-limit script (sign-in, sign-up, reset and verification throttles) against its model", () => {
  it("allows exactly the allowance of every counter under concurrent callers, counts refusals nowhere, and every counter keeps an expiry", async () => {
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
