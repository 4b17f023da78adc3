import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "@aiaas/core/testing";

export interface RedisServer {
  url: string;
  port: number;
  /** Where it keeps its append-only file (when it keeps one). */
  dir: string;
  /** Starts it again on the same port and directory (after `kill`). */
  start(): Promise<void>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * A redis-server of a test's own on a free port (from PATH, as npm test's
 * machines have it), so that it can be killed, restarted, flushed or
 * measured without touching anyone else's data. `appendonly`: keep an
 * append-only file (fsynced every write), as a deployment would.
 */
export async function startRedisServer({ appendonly = false } = {}): Promise<RedisServer> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "aiaas-redis-"));
  let child: ChildProcess | undefined;
  const start = async () => {
    const persistence = appendonly ? ["--appendonly", "yes", "--appendfsync", "always"] : ["--appendonly", "no"];
    child = spawn(
      "redis-server",
      ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--dir", dir, ...persistence],
      { stdio: "ignore" },
    );
    for (let i = 0; i < 200; i++) {
      const up = await fetch(`http://127.0.0.1:${port}`).then(
        () => true,
        (error: { cause?: { code?: string } }) => error.cause?.code !== "ECONNREFUSED",
      );
      if (up) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error("redis-server did not start");
  };
  const kill = async (signal: NodeJS.Signals = "SIGKILL") => {
    const running = child;
    if (!running || running.exitCode !== null) return;
    await new Promise((resolve) => {
      running.once("exit", resolve);
      running.kill(signal);
    });
  };
  // Never outlive the test run.
  process.once("exit", () => child?.kill("SIGKILL"));
  await start();
  return { url: `redis://127.0.0.1:${port}`, port, dir, start, kill };
}
