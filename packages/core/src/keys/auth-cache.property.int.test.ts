import { randomBytes } from "node:crypto";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { createRedis } from "../redis/create-redis.ts";
import { propertyRuns } from "../testing/property-runs.ts";
import { testRedisUrl } from "../testing/test-redis-url.ts";
import { authCacheKeys, cacheUnlessInvalidated, invalidateAuthCache } from "./auth-cache.ts";

const redis = createRedis(testRedisUrl(), "client", "auth-cache-property");
const other = createRedis(testRedisUrl(), "client", "auth-cache-property-2");
afterAll(() => {
  redis.disconnect();
  other.disconnect();
});

/** Per cached key: the value in Redis and its epoch (missing: "0"), as the script must keep them. */
interface Entry {
  value: string | null;
  epoch: string;
}

interface World {
  hashes: string[];
  model: Map<string, Entry>;
  /** Epochs verifiers read before loading from Postgres, to write with later. */
  reads: { hash: string; epoch: string }[];
}

const entry = (world: World, hash: string): Entry => world.model.get(hash) ?? { value: null, epoch: "0" };
const keysOf = (hash: string) => ({ valueKey: authCacheKeys.key(hash), epochKey: authCacheKeys.keyEpoch(hash) });
const hashOf = (world: World, pick: number) => world.hashes[pick % world.hashes.length] ?? "";

async function expectSame(world: World, hash: string) {
  const { valueKey, epochKey } = keysOf(hash);
  const [value, epoch] = await redis.mget(valueKey, epochKey);
  expect({ value: value ?? null, epoch: epoch ?? "0" }).toEqual(entry(world, hash));
}

/** An invalidation gives the epoch a value never used before: the model takes it as Redis has it. */
async function newEpoch(world: World, hash: string): Promise<string> {
  const epoch = (await redis.get(keysOf(hash).epochKey)) ?? "0";
  expect([...world.model.values()].map((one) => one.epoch).concat(world.reads.map((read) => read.epoch))).not.toContain(
    epoch,
  );
  return epoch;
}

type Command = fc.AsyncCommand<World, null>;

const read = (pick: number): Command => ({
  check: () => true,
  async run(world) {
    const hash = hashOf(world, pick);
    const { valueKey, epochKey } = keysOf(hash);
    const [, epoch] = await redis.mget(valueKey, epochKey);
    world.reads.push({ hash, epoch: epoch ?? "0" });
    await expectSame(world, hash);
  },
  toString: () => `read #${pick}`,
});

const write = (pick: number, value: string): Command => ({
  check: (world) => world.reads.length > 0,
  async run(world) {
    const { hash, epoch } = world.reads[pick % world.reads.length] as World["reads"][number];
    await cacheUnlessInvalidated(redis, { ...keysOf(hash), epoch, value, ttlSeconds: 300 });
    const current = entry(world, hash);
    if (current.epoch === epoch) world.model.set(hash, { ...current, value });
    await expectSame(world, hash);
  },
  toString: () => `write read #${pick}: ${JSON.stringify(value)}`,
});

const invalidate = (pick: number): Command => ({
  check: () => true,
  async run(world) {
    const hash = hashOf(world, pick);
    await invalidateAuthCache(redis, { keyHash: hash });
    world.model.set(hash, { value: null, epoch: await newEpoch(world, hash) });
    await expectSame(world, hash);
  },
  toString: () => `invalidate #${pick}`,
});

/** A write racing an invalidation, from two processes: in either order, nothing stale stays cached. */
const race = (pick: number, value: string): Command => ({
  check: (world) => world.reads.length > 0,
  async run(world) {
    const { hash, epoch } = world.reads[pick % world.reads.length] as World["reads"][number];
    await Promise.all([
      cacheUnlessInvalidated(other, { ...keysOf(hash), epoch, value, ttlSeconds: 300 }),
      invalidateAuthCache(redis, { keyHash: hash }),
    ]);
    world.model.set(hash, { value: null, epoch: await newEpoch(world, hash) });
    await expectSame(world, hash);
  },
  toString: () => `write read #${pick} racing an invalidation`,
});

/** The epoch's or the value's TTL ran out. */
const expire = (pick: number, what: "value" | "epoch"): Command => ({
  check: () => true,
  async run(world) {
    const hash = hashOf(world, pick);
    const { valueKey, epochKey } = keysOf(hash);
    await redis.del(what === "value" ? valueKey : epochKey);
    const current = entry(world, hash);
    world.model.set(hash, what === "value" ? { ...current, value: null } : { ...current, epoch: "0" });
    await expectSame(world, hash);
  },
  toString: () => `${what} of #${pick} expires`,
});

const value = fc.string({ maxLength: 20 });
const commands = fc.commands(
  [
    fc.nat().map(read),
    fc.tuple(fc.nat(), value).map(([pick, text]) => write(pick, text)),
    fc.nat().map(invalidate),
    fc.tuple(fc.nat(), value).map(([pick, text]) => race(pick, text)),
    fc.tuple(fc.nat(), fc.constantFrom("value" as const, "epoch" as const)).map(([pick, what]) => expire(pick, what)),
  ],
  { maxCommands: 40, size: "max" },
);

describe("the auth cache's conditional write against its model", () => {
  it("never caches a value read before an invalidation, whatever the order of reads, writes and expiries", async () => {
    await fc.assert(
      fc.asyncProperty(commands, async (steps) => {
        const world: World = {
          hashes: Array.from({ length: 2 }, () => randomBytes(8).toString("hex")),
          model: new Map(),
          reads: [],
        };
        await fc.asyncModelRun(() => ({ model: world, real: null }), steps);
      }),
      { numRuns: propertyRuns(25) },
    );
  }, 600_000);
});
