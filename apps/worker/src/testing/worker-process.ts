import { randomBytes } from "node:crypto";
import { startAppProcess, type AppProcess } from "@aiaas/core/testing";

export interface WorkerProcess extends AppProcess {
  id: string;
}

/**
 * A master key for a test run, shared by the test's producer and its workers,
 * under an id of its own: processes refuse to start when a configured id did
 * not wrap what the shared test database holds under it.
 */
export const testMasterKeys = () => `test${randomBytes(4).toString("hex")}:${randomBytes(32).toString("base64")}`;

/**
 * Runs the real worker (`apps/worker/src/main.ts`) in a child process and
 * waits until it is ready. `env` gives at least DATABASE_URL, REDIS_URL and
 * MASTER_KEYS; tests and benchmarks share this.
 */
export async function startWorkerProcess(env: Record<string, string>): Promise<WorkerProcess> {
  const id = `test-worker-${randomBytes(4).toString("hex")}`;
  const worker = await startAppProcess("worker", {
    WORKER_ID: id,
    INFERENCE_THREADS: "1",
    HEARTBEAT_INTERVAL_MS: "1000",
    ...env,
  });
  return { ...worker, id };
}
