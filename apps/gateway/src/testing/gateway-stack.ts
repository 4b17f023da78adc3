import { randomBytes } from "node:crypto";
import { createApiKey, type CreateApiKeyInput } from "@aiaas/core/keys";
import {
  createTestTenant,
  startAppProcess,
  startAppProcesses,
  testContext,
  testDb,
  testPepper,
  testRedisUrl,
  type AppProcess,
} from "@aiaas/core/testing";
import { testDatabaseUrl } from "@aiaas/db/testing";

export interface GatewayStack {
  /** The gateway's base URL, e.g. http://127.0.0.1:41234 (the OpenAI base URL is `${url}/v1`). */
  url: string;
  /** Every gateway's base URL, when the stack runs several (they share queues, Redis and limits). */
  urls: string[];
  /** The first gateway's internal port (`/readyz`, `/metrics`). */
  internalUrl: string;
  prefix: string;
  masterKeys: string;
  gateway: AppProcess;
  /** Every gateway process (the first is `gateway`). */
  gateways: AppProcess[];
  worker: AppProcess;
  /** Starts another worker on the stack's queues (its models, store…: `env`); stopped with the stack. */
  addWorker(env: Record<string, string>): Promise<AppProcess>;
  close(): Promise<void>;
}

async function stopApp(app: AppProcess) {
  app.kill("SIGTERM");
  const timer = setTimeout(() => app.kill("SIGKILL"), 10_000);
  await app.exited;
  clearTimeout(timer);
}

/**
 * The public path as production runs it: the real gateway and one real
 * worker, each in its own process, on queues and a master key of their own.
 */
export async function startGatewayStack(
  options: {
    models?: string;
    gatewayEnv?: Record<string, string>;
    workerEnv?: Record<string, string>;
    gateways?: number;
    redisUrl?: string;
  } = {},
): Promise<GatewayStack> {
  const prefix = `gw${randomBytes(4).toString("hex")}`;
  // An id of its own: gateways and workers refuse an id whose stored data keys another secret wrapped.
  const masterKeys = `${prefix}:${randomBytes(32).toString("base64")}`;
  const shared = {
    DATABASE_URL: testDatabaseUrl(),
    REDIS_URL: options.redisUrl ?? testRedisUrl(),
    MASTER_KEYS: masterKeys,
    QUEUE_PREFIX: prefix,
  };
  const gatewayEnv = {
    ...shared,
    API_KEY_PEPPER: testPepper,
    USAGE_FLUSH_MS: "20",
    // Tests make hundreds of new keys a minute from one address; the limit itself is tested with its default.
    GATEWAY_KEY_LOOKUPS_PER_MINUTE: "100000",
    // Stacks share the test database but not their master keys or queues: only a test of batches runs them.
    GATEWAY_BATCH_CONCURRENCY: "0",
    ...options.gatewayEnv,
  };
  const workerEnv = { ...shared, INFERENCE_THREADS: "1", HEARTBEAT_INTERVAL_MS: "1000" };
  const [worker, gateway, ...more] = await startAppProcesses([
    startAppProcess("worker", {
      ...workerEnv,
      WORKER_ID: `${prefix}-worker`,
      WORKER_MODELS: options.models ?? "kjv-gpt-mini,kjv-embed-mini,paddleocr-v4",
      ...options.workerEnv,
    }),
    ...Array.from({ length: options.gateways ?? 1 }, () => startAppProcess("gateway", gatewayEnv)),
  ]);
  const gateways = [gateway, ...more].filter((app): app is AppProcess => app !== undefined);
  if (!worker || !gateway) throw new Error("the stack did not start");
  const added: AppProcess[] = [];
  return {
    url: `http://127.0.0.1:${gateway.port}`,
    urls: gateways.map((app) => `http://127.0.0.1:${app.port}`),
    internalUrl: `http://127.0.0.1:${gateway.internalPort}`,
    prefix,
    masterKeys,
    gateway,
    gateways,
    worker,
    async addWorker(env) {
      const app = await startAppProcess("worker", {
        ...workerEnv,
        WORKER_ID: `${prefix}-worker-${added.length + 2}`,
        ...env,
      });
      added.push(app);
      return app;
    },
    // SIGTERM first (a graceful drain); a process still up after 10 s is killed.
    close: () => Promise.all([...gateways, worker, ...added].map((app) => stopApp(app))).then(() => undefined),
  };
}

/** A tenant without plan limits (Enterprise), for tests that are not about limits. */
export async function createUnlimitedTenant(label: string) {
  const tenant = await createTestTenant(testDb(), label);
  await testDb().tenant.update({ where: { id: tenant.id }, data: { plan: { connect: { slug: "enterprise" } } } });
  return tenant;
}
/** A key of a test tenant, made the way the console makes them (peppered for the test gateway). */
export async function createTestKey(input: Omit<CreateApiKeyInput, "name"> & { name?: string }) {
  const { secret, apiKey } = await testDb().$transaction((tx) =>
    createApiKey({ name: "test key", ...input }, { ...testContext, pepper: testPepper }, tx),
  );
  return { secret, id: apiKey.id };
}
