// What the public path adds to inference: the same embedding input run by
// ONNX Runtime in this process, and sent through the gateway over HTTP (key
// check, sealed job, BullMQ, worker process, sealed result, usage write),
// at concurrency 1 (p50, p99, added p50) and 32 (req/s as a ratio of
// in-process). Rounds are interleaved; the table shows medians.
//   npx tsx bench/gateway-latency.ts [seconds per measurement, default 3] [rounds, default 3]
import { randomBytes } from "node:crypto";
import { availableParallelism } from "node:os";
import { createPrismaClient } from "@aiaas/db";
import { createApiKey, createTenant, seedCatalogue, systemActor } from "@aiaas/core/server";
import { startAppProcess, startAppProcesses } from "@aiaas/core/testing";
import { LocalEngine } from "@aiaas/inference";
import { modelZooFolders } from "@aiaas/model-zoo";
import { machine, median, withBenchDatabase } from "./lib/bench-stack.ts";
import { load, type LoadResult } from "./lib/load.ts";

const SECONDS = Number(process.argv[2] ?? 3);
const ROUNDS = Number(process.argv[3] ?? 3);
const MODEL = "kjv-embed-mini";
/** `BENCH_PROFILE=dir` writes a CPU profile of each app there (open it in Chrome DevTools or speedscope). */
const profile = (app: string) => ({
  nodeArgs: process.env.BENCH_PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_PROFILE}/${app}`] : [],
});
const input = ["And God called the light Day, and the darkness he called Night."];

await withBenchDatabase(async ({ databaseUrl, redisUrl }) => {
  const db = createPrismaClient({ databaseUrl, maxConnections: 2 });
  const actor = { actor: systemActor("bench") };
  const pepper = randomBytes(32).toString("hex");
  const tenant = await db.$transaction(async (tx) => {
    await seedCatalogue(tx);
    // Enterprise: no plan limits, so the bench measures the path, not a refusal.
    return createTenant({ name: "Bench", slug: "bench", plan: "enterprise" }, actor, tx);
  });
  const { secret } = await db.$transaction((tx) =>
    createApiKey({ tenantId: tenant.id, name: "bench" }, { ...actor, pepper }, tx),
  );
  const threads = String(availableParallelism());
  const shared = {
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    MASTER_KEYS: `bench:${randomBytes(32).toString("base64")}`,
    QUEUE_PREFIX: `bench${randomBytes(3).toString("hex")}`,
    LOG_LEVEL: "warn",
  };
  const [worker, gateway] = await startAppProcesses([
    startAppProcess("worker", {
      ...shared,
      WORKER_MODELS: MODEL,
      INFERENCE_THREADS: threads,
      WORKER_CONCURRENCY: "64",
    }),
    startAppProcess("gateway", { ...shared, API_KEY_PEPPER: pepper }, profile("gateway")),
  ]);
  const local = await LocalEngine.create({ modelDirs: [modelZooFolders()[MODEL] ?? ""], device: "cpu" });
  const body = JSON.stringify({ model: MODEL, input, encoding_format: "base64" });
  const paths: Record<string, () => Promise<number>> = {
    "in-process ORT": async () => (await local.embed(MODEL, input), 1),
    "gateway (HTTP, full path)": async () => {
      const response = await fetch(`http://127.0.0.1:${gateway.port}/v1/embeddings`, {
        method: "POST",
        headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
        body,
      });
      if (response.status !== 200) throw new Error(`gateway answered ${response.status}: ${await response.text()}`);
      await response.arrayBuffer();
      return 1;
    },
  };
  const results = new Map<string, LoadResult[]>();
  for (const run of Object.values(paths)) for (let i = 0; i < 20; i++) await run(); // warm up
  for (let round = 0; round < ROUNDS; round++) {
    for (const concurrency of [1, 32]) {
      const names = Object.keys(paths);
      for (const name of round % 2 === 0 ? names : names.reverse()) {
        const key = `${concurrency}|${name}`;
        const run = paths[name];
        if (run) results.set(key, [...(results.get(key) ?? []), await load(run, concurrency, SECONDS)]);
      }
    }
  }

  const of = (concurrency: number, name: string) => results.get(`${concurrency}|${name}`) ?? [];
  const stat = (rows: LoadResult[], pick: (row: LoadResult) => number) => median(rows.map(pick));
  console.log(`${machine()}; ${ROUNDS} rounds × ${SECONDS} s per measurement, medians; ORT threads ${threads}`);
  console.log(
    `${"conc".padStart(4)} ${"path".padEnd(27)} ${"req/s".padStart(8)} ${"p50 ms".padStart(8)} ${"p99 ms".padStart(8)}`,
  );
  for (const concurrency of [1, 32]) {
    for (const name of Object.keys(paths)) {
      const rows = of(concurrency, name);
      console.log(
        `${String(concurrency).padStart(4)} ${name.padEnd(27)} ${stat(rows, (r) => r.rps)
          .toFixed(1)
          .padStart(8)} ${stat(rows, (r) => r.p50)
          .toFixed(2)
          .padStart(8)} ${stat(rows, (r) => r.p99)
          .toFixed(2)
          .padStart(8)}`,
      );
    }
  }
  const [base, full] = Object.keys(paths).map((name) => of(1, name));
  const added = (pick: (row: LoadResult) => number) => stat(full ?? [], pick) - stat(base ?? [], pick);
  const [base32, full32] = Object.keys(paths).map((name) => stat(of(32, name), (r) => r.rps));
  console.log(
    `added latency at concurrency 1: p50 ${added((r) => r.p50).toFixed(2)} ms, p99 ${added((r) => r.p99).toFixed(2)} ms (goal p50 <= 3 ms)`,
  );
  console.log(`throughput at concurrency 32: ${((full32 ?? 0) / (base32 ?? 1)).toFixed(2)} × in-process (goal >= 0.8)`);

  gateway.kill("SIGTERM");
  worker.kill("SIGTERM");
  await Promise.all([gateway.exited, worker.exited, local.close()]);
  await db.$disconnect();
});
