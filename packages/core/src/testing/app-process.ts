import { spawn, type ChildProcess } from "node:child_process";
import { createServer, type AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../../../", import.meta.url));

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface AppProcess {
  port: number;
  /** Where its probes and metrics are served: the gateway's internal port, else `port`. */
  internalPort: number;
  child: ChildProcess;
  /** Everything it wrote to stdout and stderr. */
  logs: string[];
  exited: Promise<number | null>;
  kill(signal: NodeJS.Signals): void;
}

/**
 * Runs a server in a child process of Node on a free port (`launch` says
 * with which arguments and environment; with `internalPort`, a second free
 * port for its probes) and waits until `readyPath` answers 200 there, or
 * fails with what it wrote.
 */
export async function startServerProcess(
  name: string,
  launch: (port: number, internalPort: number) => { args: string[]; env: NodeJS.ProcessEnv },
  {
    timeoutMs = 60_000,
    readyPath = "/readyz",
    internalPort: separate = false,
  }: { timeoutMs?: number; readyPath?: string; internalPort?: boolean } = {},
): Promise<AppProcess> {
  const port = await freePort();
  const internalPort = separate ? await freePort() : port;
  const { args, env } = launch(port, internalPort);
  const child = spawn(process.execPath, args, { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
  const logs: string[] = [];
  for (const stream of [child.stdout, child.stderr]) stream?.on("data", (chunk: Buffer) => logs.push(chunk.toString()));
  // Never outlive the test run, even when it ends before its afterAll (a timeout, a crash).
  const orphanGuard = () => child.kill("SIGKILL");
  process.once("exit", orphanGuard);
  const exited = new Promise<number | null>((resolve) =>
    child.once("exit", (code) => {
      process.off("exit", orphanGuard);
      resolve(code);
    }),
  );
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ready = await fetch(`http://127.0.0.1:${internalPort}${readyPath}`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) break;
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`${name} did not become ready:\n${logs.join("")}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { port, internalPort, child, logs, exited, kill: (signal) => child.kill(signal) };
}

/**
 * Runs one of the apps' real entry points (`apps/<app>/src/main.ts`) in a
 * child process on a free port and waits for its /readyz. Tests and
 * benchmarks use it to run the stack as production does.
 */
export function startAppProcess(
  app: "gateway" | "worker",
  env: Record<string, string>,
  { timeoutMs = 60_000, nodeArgs = [] }: { timeoutMs?: number; nodeArgs?: string[] } = {},
): Promise<AppProcess> {
  return startServerProcess(
    app,
    (port, internalPort) => ({
      // The young generation production runs with (scripts/lib/apps.mjs, docs/performance.md).
      args: ["--max-semi-space-size=32", ...nodeArgs, "--import", "tsx", `${root}apps/${app}/src/main.ts`],
      env: {
        PATH: process.env.PATH,
        LOG_LEVEL: "info",
        [`${app.toUpperCase()}_PORT`]: String(port),
        ...(app === "gateway" && { GATEWAY_INTERNAL_PORT: String(internalPort) }),
        ...env,
      },
    }),
    { timeoutMs, internalPort: app === "gateway" },
  );
}

/** Starts several apps at once; if one fails, the others are stopped before the error is thrown. */
export async function startAppProcesses<T extends Promise<AppProcess>[]>(
  starting: [...T],
): Promise<{ [K in keyof T]: AppProcess }> {
  const settled = await Promise.allSettled(starting);
  const failed = settled.find((result): result is PromiseRejectedResult => result.status === "rejected");
  if (failed) {
    for (const result of settled) if (result.status === "fulfilled") result.value.kill("SIGKILL");
    throw failed.reason;
  }
  return settled.map((result) => (result as PromiseFulfilledResult<AppProcess>).value) as {
    [K in keyof T]: AppProcess;
  };
}

/**
 * The first JSON log line of `app` holding every one of `needles`, parsed;
 * waits for it a little (a child's output reaches us after its answer may).
 */
export async function logLine(app: AppProcess, needles: string[], timeoutMs = 5_000): Promise<Record<string, unknown>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const line = app.logs
      .join("")
      .split("\n")
      .find((entry) => needles.every((needle) => entry.includes(needle)));
    if (line) return JSON.parse(line) as Record<string, unknown>;
    if (Date.now() > deadline) throw new Error(`no log line of ${needles.join(", ")} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
