// Throughput of each model in this process (the engine on ONNX Runtime, as
// the worker's inference thread runs it) against the same requests through
// the platform (sealed job -> BullMQ -> worker process -> sealed result), at
// concurrency 1 and 32; dynamic batching on vs off; generation tokens/s.
// Rounds are interleaved; the table shows medians and ratios.
//   npx tsx bench/inference-throughput.ts [seconds per measurement, default 2] [rounds, default 3]
import { randomBytes } from "node:crypto";
import { availableParallelism } from "node:os";
import { createPrismaClient } from "@aiaas/db";
import { parseMasterKeys, TenantKeyring } from "@aiaas/core/crypto";
import { createRedis, systemActor } from "@aiaas/core/platform";
import { InferenceClient } from "@aiaas/core/queue";
import { createTenant } from "@aiaas/core/tenants";
import { LocalEngine, type InferenceEngine } from "@aiaas/inference";
import { helloWorldPng } from "@aiaas/inference/testing";
import { modelZooFolders } from "@aiaas/model-zoo";
import { startWorkerProcess } from "../apps/worker/src/testing/worker-process.ts";
import { machine, median, withBenchDatabase } from "./lib/bench-stack.ts";
import { load, type LoadResult } from "./lib/load.ts";
import { queueFloor } from "./lib/queue-floor.ts";

const SECONDS = Number(process.argv[2] ?? 2);
const ROUNDS = Number(process.argv[3] ?? 3);
const zoo = modelZooFolders();
const models = ["kjv-embed-mini", "kjv-gpt-mini", "paddleocr-v4"];
const dirs = models.map((id) => zoo[id] ?? "");

await withBenchDatabase(async ({ databaseUrl, redisUrl }) => {
  const db = createPrismaClient({ databaseUrl, maxConnections: 4 });
  const redis = createRedis(redisUrl, "client", "bench");
  const masterKeys = `bench${randomBytes(4).toString("hex")}:${randomBytes(32).toString("base64")}`;
  const keyring = new TenantKeyring(db, parseMasterKeys(masterKeys));
  const prefix = `bench${randomBytes(3).toString("hex")}`;
  const client = new InferenceClient(redis, prefix, keyring);
  const tenant = await db.$transaction((tx) =>
    createTenant({ name: "Bench", slug: "bench" }, { actor: systemActor("bench") }, tx),
  );
  const threads = String(availableParallelism());
  const worker = await startWorkerProcess({
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    MASTER_KEYS: masterKeys,
    QUEUE_PREFIX: prefix,
    WORKER_MODELS: models.join(","),
    INFERENCE_THREADS: threads,
    WORKER_CONCURRENCY: "64",
    LOG_LEVEL: "warn",
  });
  const local = await LocalEngine.create({ modelDirs: dirs, device: "cpu" });
  const unbatched = await LocalEngine.create({ modelDirs: dirs, device: "cpu", batching: { maxBatchSize: 1 } });
  const image = await helloWorldPng();
  const sentence = ["And God called the light Day, and the darkness he called Night."];
  const prompt = { prompt: "And the LORD spake unto Moses, saying,", maxTokens: 32, temperature: 0.8, seed: 1 };

  const direct = (engine: InferenceEngine) => ({
    embedding: async () => (await engine.embed("kjv-embed-mini", sentence), 1),
    ocr: async () => (await engine.ocr("paddleocr-v4", image), 1),
    generation: async () => (await engine.generate("kjv-gpt-mini", prompt)).completionTokens,
  });
  const queued = {
    embedding: async () => (
      await client.wait(
        await client.submit(tenant.id, "kjv-embed-mini", "embedding", { input: sentence }),
        "embedding",
        60_000,
      ),
      1
    ),
    ocr: async () => (
      await client.wait(
        await client.submit(tenant.id, "paddleocr-v4", "ocr", { image: image.toString("base64") }),
        "ocr",
        60_000,
      ),
      1
    ),
    generation: async () =>
      (await client.wait(await client.submit(tenant.id, "kjv-gpt-mini", "completion", prompt), "completion", 60_000))
        .result.usage.completionTokens,
  };
  const floor = await queueFloor(redis, 64);
  type Task = keyof typeof queued;
  const noop = { embedding: floor.run, generation: floor.run, ocr: floor.run };
  const paths = {
    "in-process": direct(local),
    "in-process, batching off": direct(unbatched),
    "queue + worker": queued,
    "floor: empty BullMQ hop": noop,
  };
  const scenarios: { task: Task; concurrency: number; paths: (keyof typeof paths)[] }[] = [
    { task: "embedding", concurrency: 1, paths: ["in-process", "queue + worker", "floor: empty BullMQ hop"] },
    {
      task: "embedding",
      concurrency: 32,
      paths: ["in-process", "in-process, batching off", "queue + worker", "floor: empty BullMQ hop"],
    },
    { task: "generation", concurrency: 1, paths: ["in-process", "queue + worker"] },
    { task: "generation", concurrency: 32, paths: ["in-process", "in-process, batching off", "queue + worker"] },
    { task: "ocr", concurrency: 1, paths: ["in-process", "queue + worker"] },
    { task: "ocr", concurrency: 32, paths: ["in-process", "in-process, batching off", "queue + worker"] },
  ];
  const results = new Map<string, LoadResult[]>();
  for (const scenario of scenarios) for (const path of scenario.paths) await paths[path][scenario.task](); // warm up
  for (let round = 0; round < ROUNDS; round++) {
    for (const scenario of scenarios) {
      const order = round % 2 === 0 ? scenario.paths : [...scenario.paths].reverse();
      for (const path of order) {
        const key = `${scenario.task}|${scenario.concurrency}|${path}`;
        results.set(key, [
          ...(results.get(key) ?? []),
          await load(paths[path][scenario.task], scenario.concurrency, SECONDS),
        ]);
      }
    }
  }

  console.log(`${machine()}; ${ROUNDS} rounds × ${SECONDS} s per measurement, medians; ORT threads ${threads}`);
  console.log(
    `${"model".padEnd(12)} ${"conc".padStart(4)} ${"path".padEnd(26)} ${"req/s".padStart(8)} ${"tok/s".padStart(8)} ${"p50 ms".padStart(8)} ${"p99 ms".padStart(8)} ${"× in-process".padStart(13)}`,
  );
  for (const scenario of scenarios) {
    const of = (path: string) => results.get(`${scenario.task}|${scenario.concurrency}|${path}`) ?? [];
    const base = median(of("in-process").map((r) => r.ups));
    for (const path of scenario.paths) {
      const rows = of(path);
      const ups = median(rows.map((r) => r.ups));
      const tokens = scenario.task === "generation" ? ups.toFixed(0) : "-";
      console.log(
        `${scenario.task.padEnd(12)} ${String(scenario.concurrency).padStart(4)} ${path.padEnd(26)} ${median(
          rows.map((r) => r.rps),
        )
          .toFixed(1)
          .padStart(8)} ${tokens.padStart(8)} ${median(rows.map((r) => r.p50))
          .toFixed(1)
          .padStart(8)} ${median(rows.map((r) => r.p99))
          .toFixed(1)
          .padStart(8)} ${(ups / base).toFixed(2).padStart(13)}`,
      );
    }
  }
  worker.kill("SIGTERM");
  await worker.exited;
  await Promise.all([local.close(), unbatched.close(), client.close(), floor.close()]);
  redis.disconnect();
  await db.$disconnect();
});
