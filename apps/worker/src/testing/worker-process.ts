import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createServer, type AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";

const main = fileURLToPath(new URL("../main.ts", import.meta.url));
const root = fileURLToPath(new URL("../../../../", import.meta.url));

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface WorkerProcess {
  id: string;
  child: ChildProcess;
  logs: string[];
  exited: Promise<number | null>;
  kill(signal: NodeJS.Signals): void;
}

/** A master key for a test run, shared by the test's producer and its workers. */
export const testMasterKeys = () => `test1:${randomBytes(32).toString("base64")}`;

/**
 * Runs the real worker (`apps/worker/src/main.ts`) in a child process and
 * waits until it is ready. `env` gives at least DATABASE_URL, REDIS_URL and
 * MASTER_KEYS; tests and benchmarks share this.
 */
export async function startWorkerProcess(env: Record<string, string>): Promise<WorkerProcess> {
  const port = await freePort();
  const id = `test-worker-${randomBytes(4).toString("hex")}`;
  const child = spawn(process.execPath, ["--import", "tsx", main], {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      WORKER_ID: id,
      WORKER_PORT: String(port),
      INFERENCE_THREADS: "1",
      HEARTBEAT_INTERVAL_MS: "1000",
      LOG_LEVEL: "info",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const logs: string[] = [];
  for (const stream of [child.stdout, child.stderr]) stream?.on("data", (chunk: Buffer) => logs.push(chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const deadline = Date.now() + 60_000;
  for (;;) {
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) break;
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`worker did not become ready:\n${logs.join("")}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { id, child, logs, exited, kill: (signal) => child.kill(signal) };
}
