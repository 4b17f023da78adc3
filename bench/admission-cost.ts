// What admission costs per request: the one Redis script that checks and
// takes every limit of a key and its tenant, then its settlement, against a
// Redis PING on the same connection (the round trip any check must pay).
// Concurrency 1 (p50: the added latency) and 32 (decisions/s); interleaved
// rounds, medians.
//   npx tsx bench/admission-cost.ts [seconds per measurement, default 2] [rounds, default 3]
import { randomBytes } from "node:crypto";
import { createRedis, noLimits, QuotaGate, type QuotaScope } from "@aiaas/core/server";
import { machine, median, withBenchDatabase } from "./lib/bench-stack.ts";
import { load, type LoadResult } from "./lib/load.ts";

const SECONDS = Number(process.argv[2] ?? 2);
const ROUNDS = Number(process.argv[3] ?? 3);

await withBenchDatabase(async ({ redisUrl }) => {
  const redis = createRedis(redisUrl, "producer", "bench-admission");
  await redis.connect();
  const prefix = `benchq${randomBytes(3).toString("hex")}`;
  const gate = new QuotaGate(redis, prefix);
  const tenantId = `ten_${randomBytes(8).toString("hex")}`;
  // Every limit set, high enough never to refuse: the script does all its work.
  const limits = {
    ...noLimits,
    rpm: 1e9,
    tpm: 1e12,
    rpd: 1e12,
    concurrent: 1e6,
    budgetMicros: 10n ** 15n,
    budgetPeriod: "month" as const,
  };
  const scopes: QuotaScope[] = [
    { kind: "key", id: "key_bench", tenantId, limits },
    { kind: "tenant", id: tenantId, tenantId, limits },
  ];
  let n = 0;
  const paths: Record<string, () => Promise<number>> = {
    "redis PING (floor)": async () => (await redis.ping(), 1),
    "admit (2 scopes, 5 limits each)": async () => {
      const requestId = `req_${(n += 1)}`;
      const decision = await gate.admit({ requestId, scopes, tokens: 300, costMicros: 20n });
      if (!decision.admitted) throw new Error("refused");
      return 1;
    },
    "admit + settle": async () => {
      const requestId = `req_${(n += 1)}`;
      await gate.admit({ requestId, scopes, tokens: 300, costMicros: 20n });
      await gate.settle({ requestId, scopes, tokens: 120, costMicros: 8n });
      return 1;
    },
  };
  for (const run of Object.values(paths)) for (let i = 0; i < 200; i++) await run(); // warm up, load scripts
  const results = new Map<string, LoadResult[]>();
  for (let round = 0; round < ROUNDS; round++) {
    for (const concurrency of [1, 32]) {
      const names = Object.keys(paths);
      for (const name of round % 2 === 0 ? names : names.reverse()) {
        const run = paths[name];
        const key = `${concurrency}|${name}`;
        if (run) results.set(key, [...(results.get(key) ?? []), await load(run, concurrency, SECONDS)]);
      }
    }
  }
  console.log(`${machine()}; ${ROUNDS} rounds × ${SECONDS} s per measurement, medians`);
  console.log(
    `${"conc".padStart(4)} ${"path".padEnd(32)} ${"ops/s".padStart(9)} ${"p50 ms".padStart(8)} ${"p99 ms".padStart(8)}`,
  );
  const stat = (key: string, pick: (r: LoadResult) => number) => median((results.get(key) ?? []).map(pick));
  for (const concurrency of [1, 32]) {
    for (const name of Object.keys(paths)) {
      const key = `${concurrency}|${name}`;
      console.log(
        `${String(concurrency).padStart(4)} ${name.padEnd(32)} ${stat(key, (r) => r.rps)
          .toFixed(0)
          .padStart(9)} ${stat(key, (r) => r.p50)
          .toFixed(3)
          .padStart(8)} ${stat(key, (r) => r.p99)
          .toFixed(3)
          .padStart(8)}`,
      );
    }
  }
  const added = stat("1|admit (2 scopes, 5 limits each)", (r) => r.p50) - stat("1|redis PING (floor)", (r) => r.p50);
  const ratio = stat("32|admit (2 scopes, 5 limits each)", (r) => r.rps) / stat("32|redis PING (floor)", (r) => r.rps);
  console.log(
    `admission: one round trip; p50 ${added.toFixed(3)} ms over a PING at concurrency 1; decisions/s at 32 = ${ratio.toFixed(2)} × PINGs/s`,
  );
  await redis.quit();
});
