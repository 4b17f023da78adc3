import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { availableParallelism } from "node:os";
import { createPrismaClient } from "@aiaas/db";
import { createApiKey } from "@aiaas/core/keys";
import { systemActor } from "@aiaas/core/platform";
import { seedCatalogue } from "@aiaas/core/seed";
import { createTenant, setModelAccess } from "@aiaas/core/tenants";
import { startAppProcess, startAppProcesses } from "@aiaas/core/testing";
import type { BenchStack } from "./bench-stack.ts";

/** `BENCH_PROFILE=dir` writes a CPU profile of each app there (open it in Chrome DevTools or speedscope). */
const profile = (app: string) => ({
  nodeArgs: process.env.BENCH_PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_PROFILE}/${app}`] : [],
});

/**
 * A gateway and a worker serving `models`, in processes of their own, on the
 * bench database; a tenant on Enterprise granted the echo model, and a key
 * whose limits (far above what the bench sends) make every request go
 * through admission and settlement, as a paying customer's do.
 */
export async function startBenchGateway(
  { databaseUrl, redisUrl }: BenchStack,
  {
    models,
    gatewayEnv = {},
    workerEnv = {},
  }: { models: string; gatewayEnv?: Record<string, string>; workerEnv?: Record<string, string> },
) {
  const db = createPrismaClient({ databaseUrl, maxConnections: 2 });
  const actor = { actor: systemActor("bench") };
  const pepper = randomBytes(32).toString("hex");
  const tenant = await db.$transaction(async (tx) => {
    await seedCatalogue(tx);
    const created = await createTenant(
      { name: "Bench", slug: `bench-${randomBytes(3).toString("hex")}`, plan: "enterprise" },
      actor,
      tx,
    );
    await setModelAccess({ tenant: created.id, model: "echo", enabled: true }, actor, tx);
    return created;
  });
  const { secret } = await db.$transaction((tx) =>
    createApiKey(
      {
        tenantId: tenant.id,
        name: "bench",
        limits: { rpm: 100_000_000, tpm: 1_000_000_000, concurrent: 100_000 },
      },
      { ...actor, pepper },
      tx,
    ),
  );
  await db.$disconnect();
  const threads = String(availableParallelism());
  const shared = {
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    MASTER_KEYS: `bench${randomBytes(4).toString("hex")}:${randomBytes(32).toString("base64")}`,
    QUEUE_PREFIX: `bench${randomBytes(3).toString("hex")}`,
    LOG_LEVEL: "warn",
  };
  const [worker, gateway] = await startAppProcesses([
    startAppProcess(
      "worker",
      { ...shared, WORKER_MODELS: models, INFERENCE_THREADS: threads, WORKER_CONCURRENCY: "64", ...workerEnv },
      profile("worker"),
    ),
    startAppProcess("gateway", { ...shared, API_KEY_PEPPER: pepper, ...gatewayEnv }, profile("gateway")),
  ]);
  if (!worker || !gateway) throw new Error("the bench stack did not start");
  return {
    url: `http://127.0.0.1:${gateway.port}`,
    secret,
    /** The stack's queue prefix and master keys: what a bench needs to enqueue as a gateway does. */
    prefix: shared.QUEUE_PREFIX,
    masterKeys: shared.MASTER_KEYS,
    pids: {
      gateway: gateway.child.pid ?? 0,
      /** Every gateway process: the one started, and the processes it forked (GATEWAY_PROCESSES). */
      gateways: [gateway.child.pid ?? 0, ...childPids(gateway.child.pid ?? 0)],
      worker: worker.child.pid ?? 0,
    },
    threads,
    close: async () => {
      gateway.kill("SIGTERM");
      worker.kill("SIGTERM");
      await Promise.all([gateway.exited, worker.exited]);
      await deleteKeys(redisUrl, `${shared.QUEUE_PREFIX}:*`);
    },
  };
}

/** The pids of a process's children. */
function childPids(pid: number): number[] {
  try {
    return execFileSync("pgrep", ["-P", String(pid)])
      .toString()
      .trim()
      .split("\n")
      .filter(Boolean)
      .map(Number);
  } catch {
    return []; // pgrep exits 1 when there are none
  }
}

/** Leaves Redis as it was: a bench's queues keep thousands of finished jobs. */
export async function deleteKeys(redisUrl: string, pattern: string) {
  const redis = new Redis(redisUrl);
  for await (const keys of redis.scanStream({ match: pattern, count: 1000 }) as AsyncIterable<string[]>) {
    if (keys.length > 0) await redis.unlink(...keys);
  }
  redis.disconnect();
}
