// What admission costs per request: the one Redis script that checks and
// takes every limit of a key and its tenant, then its settlement, against a
// Redis PING on the same connection (the round trip any check must pay).
// Concurrency 1 (p50: the added latency) and 32 (decisions/s); interleaved
// rounds, medians.
//   npx tsx bench/admission-cost.ts [seconds per measurement, default 2] [rounds, default 3]
import { randomBytes } from "node:crypto";
import { createRedis } from "@aiaas/core/platform";
import { noLimits, QuotaGate, type QuotaScope } from "@aiaas/core/quota";
import { machine, withBenchDatabase } from "./lib/bench-stack.ts";
import type { LoadResult } from "./lib/load.ts";
import { interleavedRounds, type Runs } from "./lib/rounds.ts";

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
  // Gateways seed a budget's counter from the ledger before its first use.
  for (const scope of scopes) await gate.seed(scope, 0n);
  let n = 0;
  const ping = "redis PING (floor)";
  const admit = "admit (2 scopes, 5 limits each)";
  const paths: Runs = {
    [ping]: async () => (await redis.ping(), 1),
    [admit]: async () => {
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
  // The warm-up also loads the scripts.
  const { figure } = await interleavedRounds(paths, [1, 32], SECONDS, ROUNDS, { warmUp: 200 });
  console.log(`${machine()}; ${ROUNDS} rounds × ${SECONDS} s per measurement, medians`);
  console.log(
    `${"conc".padStart(4)} ${"path".padEnd(32)} ${"ops/s".padStart(9)} ${"p50 ms".padStart(8)} ${"p99 ms".padStart(8)}`,
  );
  for (const concurrency of [1, 32]) {
    for (const name of Object.keys(paths)) {
      const stat = (pick: (r: LoadResult) => number) => figure(concurrency, name, pick);
      console.log(
        `${String(concurrency).padStart(4)} ${name.padEnd(32)} ${stat((r) => r.rps)
          .toFixed(0)
          .padStart(9)} ${stat((r) => r.p50)
          .toFixed(3)
          .padStart(8)} ${stat((r) => r.p99)
          .toFixed(3)
          .padStart(8)}`,
      );
    }
  }
  const added = figure(1, admit, (r) => r.p50) - figure(1, ping, (r) => r.p50);
  const ratio = figure(32, admit, (r) => r.rps) / figure(32, ping, (r) => r.rps);
  console.log(
    `admission: one round trip; p50 ${added.toFixed(3)} ms over a PING at concurrency 1; decisions/s at 32 = ${ratio.toFixed(2)} × PINGs/s`,
  );
  await redis.quit();
});
