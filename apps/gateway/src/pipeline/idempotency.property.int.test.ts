import { randomBytes } from "node:crypto";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { createRedis } from "@aiaas/core/platform";
import { type InferenceResult } from "@aiaas/core/queue";
import { propertyRuns, testRedisUrl } from "@aiaas/core/testing";
import { ApiError } from "../openai-error.ts";
import { IdempotencyStore, type IdempotencyRecord } from "./idempotency.ts";

const connections = Array.from({ length: 3 }, (_, i) =>
  createRedis(testRedisUrl(), "client", `idempotency-property-${i}`),
);
const prefix = `ip${randomBytes(4).toString("hex")}`;
const stores = connections.map((redis) => new IdempotencyStore(redis, prefix, "idempotency test secret"));
const [store] = stores as [IdempotencyStore];
afterAll(() => {
  for (const redis of connections) redis.disconnect();
});

const result: InferenceResult = {
  v: 1,
  output: "c2VhbGVk",
  usage: { promptTokens: 3, completionTokens: 5, images: 0 },
  timing: { queueMs: 1, inferenceMs: 2 },
  workerId: "worker-1",
};

interface World {
  tenantId: string;
  keys: string[];
  model: Map<string, IdempotencyRecord>;
  next: number;
}

type Command = fc.AsyncCommand<World, null>;
const keyOf = (world: World, pick: number) => world.keys[pick % world.keys.length] ?? "";

async function expectSame(world: World, key: string) {
  expect(await store.read(world.tenantId, key)).toEqual(world.model.get(key) ?? null);
}

/** `count` requests with the same key (and one of two bodies) at once, through as many gateways. */
const claim = (pick: number, body: number, count: number): Command => ({
  check: () => true,
  async run(world) {
    const key = keyOf(world, pick);
    const records = Array.from({ length: count }, () => ({
      requestId: `req_ip${(world.next += 1)}`,
      bodyHash: `body-${body}`,
      created: 1_800_000_000 + world.next,
    }));
    const answers = await Promise.all(
      records.map((record, i) =>
        (stores[i % stores.length] ?? store).claim(world.tenantId, key, record).then(
          (answer) => ({ answer, record }),
          (error: unknown) => ({ error, record }),
        ),
      ),
    );
    const holder = world.model.get(key);
    if (holder && holder.bodyHash !== `body-${body}`) {
      // Another body holds the key: every one is a 409.
      for (const answer of answers)
        expect(answer).toMatchObject({ error: { status: 409, code: "idempotency_key_reused" } });
    } else {
      const claimed = answers.filter((one) => "answer" in one && one.answer.claimed);
      // Exactly one runs when the key was free; none when it was held.
      expect(claimed).toHaveLength(holder ? 0 : 1);
      const winner = holder ?? claimed[0]?.record;
      if (!winner) throw new Error("nobody holds the key");
      world.model.set(key, winner);
      for (const one of answers) {
        if ("error" in one) throw one.error instanceof ApiError ? new Error(one.error.message) : one.error;
        if (!one.answer.claimed) expect(one.answer.record).toEqual(winner);
      }
    }
    await expectSame(world, key);
  },
  toString: () => `claim #${pick} ×${count} (body ${body})`,
});

const complete = (pick: number, outcome: "result" | "error"): Command => ({
  check: () => true,
  async run(world) {
    const key = keyOf(world, pick);
    const held = world.model.get(key);
    const record: IdempotencyRecord = {
      ...(held ?? { requestId: "req_ipgone", bodyHash: "body-0", created: 1 }),
      ...(outcome === "result"
        ? { result }
        : {
            error: {
              status: 400,
              body: { error: { message: "no", type: "invalid_request_error", param: null, code: null } },
            },
          }),
    };
    await store.complete(world.tenantId, key, record);
    // A key released (or expired) meanwhile stays free: completing never claims it.
    if (held) world.model.set(key, record);
    await expectSame(world, key);
  },
  toString: () => `complete #${pick} with ${outcome}`,
});

const release = (pick: number): Command => ({
  check: () => true,
  async run(world) {
    const key = keyOf(world, pick);
    await store.release(world.tenantId, key);
    world.model.delete(key);
    await expectSame(world, key);
  },
  toString: () => `release #${pick}`,
});

const commands = fc.commands(
  [
    fc
      .tuple(fc.nat(), fc.integer({ min: 0, max: 1 }), fc.integer({ min: 1, max: 8 }))
      .map(([pick, body, count]) => claim(pick, body, count)),
    fc
      .tuple(fc.nat(), fc.constantFrom("result" as const, "error" as const))
      .map(([pick, outcome]) => complete(pick, outcome)),
    fc.nat().map(release),
  ],
  { maxCommands: 30, size: "max" },
);

describe("Idempotency-Key records against their model", () => {
  it("let exactly one request run per key, answer repeats with its record, and refuse another body", async () => {
    await fc.assert(
      fc.asyncProperty(commands, async (steps) => {
        const world: World = {
          tenantId: `ten_${randomBytes(6).toString("hex")}`,
          keys: ["order-1", "order-2"],
          model: new Map(),
          next: 0,
        };
        await fc.asyncModelRun(() => ({ model: world, real: null }), steps);
      }),
      { numRuns: propertyRuns(25) },
    );
  }, 600_000);
});
