// Tenant B's latency while tenant A floods the same model's queue: B's p50
// idle and during A's flood of 10,000 queued jobs, each round compared within
// itself (a neighbour's load drifting over the run weighs on both halves of a
// round alike), and the median of the rounds' ratios. The integration test
// (gateway-fairness.int.test.ts) judges fairness by what the scheduler did;
// this is the figure a user feels.
//   npx tsx bench/fairness.ts [rounds, default 5] [samples per phase, default 15]
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { createPrismaClient } from "@aiaas/db";
import { parseMasterKeys, TenantKeyring } from "@aiaas/core/crypto";
import { systemActor } from "@aiaas/core/platform";
import { FairShare, inferenceJobOptions, payloadContext, queues, sealJson, type InferenceJob } from "@aiaas/core/queue";
import { createTenant } from "@aiaas/core/tenants";
import { startBenchGateway } from "./lib/bench-gateway.ts";
import { machine, median, withBenchDatabase } from "./lib/bench-stack.ts";
import { jsonPoster } from "./lib/http-client.ts";

const ROUNDS = Number(process.argv[2] ?? 5);
const SAMPLES = Number(process.argv[3] ?? 15);
const MODEL = "kjv-embed-mini";

await withBenchDatabase(async (stack) => {
  // A pool tuned for latency keeps its slots few: a tenant's wait under a flood is bounded by the jobs running.
  const bench = await startBenchGateway(stack, { models: MODEL, workerEnv: { WORKER_CONCURRENCY: "4" } });
  const db = createPrismaClient({ databaseUrl: stack.databaseUrl, maxConnections: 2 });
  const redis = new Redis(stack.redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue(queues.inference.name(MODEL), { connection: redis, prefix: bench.prefix });
  const keyring = new TenantKeyring(db, parseMasterKeys(bench.masterKeys));
  const flooder = await db.$transaction((tx) =>
    createTenant({ name: "Flood", slug: "flood", plan: "enterprise" }, { actor: systemActor("bench") }, tx),
  );
  const client = jsonPoster(bench.url, { authorization: `Bearer ${bench.secret}` }, 1);
  const body = JSON.stringify({ model: MODEL, input: "And the LORD spake unto Moses" });
  const timeOne = async () => {
    const started = performance.now();
    await client.post("/v1/embeddings", body);
    return performance.now() - started;
  };
  const flood = async (round: number) => {
    const fairShare = new FairShare();
    const jobs = await Promise.all(
      Array.from({ length: 10_000 }, async (_, i) => {
        const requestId = `req_flood${round}x${i}`;
        const input = await sealJson(keyring, flooder.id, payloadContext(requestId, "input"), {
          input: [`verse ${i}`],
        });
        const data: InferenceJob = {
          v: 1,
          requestId,
          tenantId: flooder.id,
          model: MODEL,
          task: "embedding",
          input,
          enqueuedAt: Date.now(),
        };
        const priority = fairShare.enter(MODEL, flooder.id);
        return { name: "embedding", data, opts: { ...inferenceJobOptions, jobId: requestId, priority } };
      }),
    );
    await queue.addBulk(jobs);
  };
  try {
    for (let i = 0; i < 10; i++) await timeOne();
    const rounds: { idle: number; busy: number }[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const idle: number[] = [];
      const busy: number[] = [];
      for (let i = 0; i < SAMPLES; i++) idle.push(await timeOne());
      await flood(round);
      for (let i = 0; i < SAMPLES; i++) busy.push(await timeOne());
      const waiting = (await queue.getJobCounts("prioritized")).prioritized ?? 0;
      await queue.drain();
      while ((await queue.getJobCounts("active")).active) await new Promise((resolve) => setTimeout(resolve, 50));
      rounds.push({ idle: median(idle), busy: median(busy) });
      console.log(
        `round ${round + 1}: B's p50 ${median(idle).toFixed(1)} ms idle, ${median(busy).toFixed(1)} ms during A's flood (${waiting} of A's jobs still queued after)`,
      );
    }
    console.log(`${machine()}; ${ROUNDS} rounds × ${SAMPLES} requests per phase, worker concurrency 4`);
    console.log(`median ratio, flooded / idle: ${median(rounds.map(({ idle, busy }) => busy / idle)).toFixed(2)}×`);
  } finally {
    await queue.obliterate({ force: true });
    await queue.close();
    await client.close();
    redis.disconnect();
    await db.$disconnect();
    await bench.close();
  }
});
