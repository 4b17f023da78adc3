// What verifying an API key costs on each path, against the floors of the
// same run: a Redis PING and a Postgres SELECT 1. Runs against the servers
// of `npm start` (.data/local.env) in a temporary database it drops after.
//   npx tsx bench/key-verify-paths.ts
import { randomBytes } from "node:crypto";
import { createPrismaClient, pingDatabase } from "@aiaas/db";
import { ApiKeyVerifier, authCacheKeys, createApiKey, hashApiKey } from "@aiaas/core/keys";
import { createRedis, systemActor } from "@aiaas/core/platform";
import { createTenant } from "@aiaas/core/tenants";
import { machine, withBenchDatabase } from "./lib/bench-stack.ts";

const SAMPLES = 3000;

await withBenchDatabase(async ({ databaseUrl, redisUrl }) => {
  const db = createPrismaClient({ databaseUrl, maxConnections: 2 });
  const redis = createRedis(redisUrl, "producer", "bench");
  const subscriber = createRedis(redisUrl, "consumer", "bench-sub");
  try {
    await Promise.all([redis.connect(), subscriber.connect()]);
    const pepper = randomBytes(32).toString("hex");
    const ctx = { actor: systemActor("bench"), pepper };
    const secrets = await db.$transaction(async (tx) => {
      const tenant = await createTenant({ name: "Bench", slug: "bench" }, ctx, tx);
      const make = async () => (await createApiKey({ tenantId: tenant.id, name: "bench" }, ctx, tx)).secret;
      return [await make(), await make()] as const;
    });
    // One in-memory entry: alternating between two keys makes every call miss memory.
    const warm = new ApiKeyVerifier({ db, redis, subscriber, pepper });
    const oneEntry = new ApiKeyVerifier({ db, redis, subscriber, pepper, maxEntries: 1 });

    const sample = async (
      name: string,
      op: (i: number) => Promise<unknown>,
      before?: (i: number) => Promise<unknown>,
    ) => {
      const times: number[] = [];
      for (let i = 0; i < SAMPLES; i++) {
        await before?.(i);
        const started = process.hrtime.bigint();
        await op(i);
        times.push(Number(process.hrtime.bigint() - started) / 1000);
      }
      times.sort((a, b) => a - b);
      return { name, p50: times[Math.floor(SAMPLES * 0.5)] ?? NaN, p99: times[Math.floor(SAMPLES * 0.99)] ?? NaN };
    };
    const secretAt = (i: number) => secrets[i % 2] ?? "";
    await warm.verify(secretAt(0));
    const rows = [
      await sample("floor: Redis PING", () => redis.ping()),
      await sample("floor: Postgres SELECT 1", () => pingDatabase(db)),
      await sample("in-process cache hit", () => warm.verify(secretAt(0))),
      await sample("memory miss, Redis hit", (i) => oneEntry.verify(secretAt(i))),
      await sample(
        "cold: Redis miss + Postgres",
        (i) => oneEntry.verify(secretAt(i)),
        (i) => redis.del(authCacheKeys.key(hashApiKey(secretAt(i), pepper))),
      ),
    ];
    const hit = rows[2]?.p50 ?? NaN;
    console.log(`${machine()}; ${SAMPLES} samples per row, latency in µs`);
    console.log(`${"path".padEnd(30)} ${"p50".padStart(8)} ${"p99".padStart(8)} ${"p50 × hit".padStart(10)}`);
    for (const row of rows) {
      console.log(
        `${row.name.padEnd(30)} ${row.p50.toFixed(1).padStart(8)} ${row.p99.toFixed(1).padStart(8)} ${(row.p50 / hit).toFixed(1).padStart(10)}`,
      );
    }
  } finally {
    redis.disconnect();
    subscriber.disconnect();
    await db.$disconnect();
  }
});
