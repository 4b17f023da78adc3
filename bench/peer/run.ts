// Side by side, in one run: a minimal OpenAI-shaped mock upstream, Portkey's
// open-source gateway proxying to it, and our gateway serving the echo model
// (key check, admission, sealed job, BullMQ, worker, sealed result, usage
// and ledger write), for /v1/embeddings and /v1/chat/completions (whole and
// streamed); plus the floor of a BullMQ hop in this process. Concurrency 1:
// p50/p90/p99 and what each adds over the mock; concurrency 32: req/s with
// p50/p99, the machine's CPU time per request (all processes, the load
// generator included: what the answer costs, whatever the number of cores)
// and that of the process that answers the HTTP request (mock, Portkey, our
// gateway). Rounds are interleaved; every figure is a median over rounds.
//   npx tsx bench/peer/run.ts [seconds per measurement, default 2] [rounds, default 3]
import { createRequire } from "node:module";
import { Redis } from "ioredis";
import { startServerProcess } from "@aiaas/core/testing";
import { startBenchGateway } from "../lib/bench-gateway.ts";
import { at, localServers, machine, withBenchDatabase } from "../lib/bench-stack.ts";
import { jsonPoster } from "../lib/http-client.ts";
import { queueFloor } from "../lib/queue-floor.ts";
import { interleavedRounds, ms, perSecond, type Runs } from "../lib/rounds.ts";

const SECONDS = Number(process.argv[2] ?? 2);
const ROUNDS = Number(process.argv[3] ?? 3);

const messages = [{ role: "user", content: "Let there be light" }];
const cases = {
  embeddings: { path: "/v1/embeddings", body: { model: "echo", input: "Let there be light" } },
  chat: { path: "/v1/chat/completions", body: { model: "echo", messages } },
  "chat stream": { path: "/v1/chat/completions", body: { model: "echo", messages, stream: true } },
};
const targets = ["mock", "portkey", "aiaas"] as const;

await withBenchDatabase(async (stack) => {
  const mock = await startServerProcess(
    "mock upstream",
    (port) => ({
      args: ["--import", "tsx", at("bench/peer/mock-upstream.ts")],
      env: { ...process.env, PORT: String(port) },
    }),
    { readyPath: "/readyz" },
  );
  const portkeyEntry = createRequire(import.meta.url).resolve("@portkey-ai/gateway/build/start-server.js");
  const portkey = await startServerProcess(
    "Portkey",
    (port) => ({ args: [portkeyEntry, `--port=${port}`, "--headless"], env: process.env }),
    { readyPath: "/" },
  );
  const mockUrl = `http://127.0.0.1:${mock.port}`;
  const ours = await startBenchGateway(stack, { models: "echo" });
  const redis = new Redis(localServers().redisUrl, { maxRetriesPerRequest: null });
  const floor = await queueFloor(redis, 64);

  const clients = {
    mock: jsonPoster(mockUrl, {}),
    portkey: jsonPoster(`http://localhost:${portkey.port}`, {
      "x-portkey-provider": "openai",
      "x-portkey-custom-host": `${mockUrl}/v1`,
      authorization: "Bearer sk-mock",
    }),
    aiaas: jsonPoster(ours.url, { authorization: `Bearer ${ours.secret}` }),
  };
  const fronts = { mock: [mock.child.pid ?? 0], portkey: [portkey.child.pid ?? 0], aiaas: [ours.pids.gateway] };
  const runs: Runs = { "queue floor": floor.run };
  const watch: Record<string, number[]> = {};
  for (const [name, { path, body }] of Object.entries(cases)) {
    const json = JSON.stringify(body);
    for (const target of targets) {
      runs[`${name}|${target}`] = async () => (await clients[target].post(path, json), 1);
      watch[`${name}|${target}`] = fronts[target];
    }
  }
  const { figure } = await interleavedRounds(runs, [1, 32], SECONDS, ROUNDS, { watch });

  console.log(`${machine()}; ${ROUNDS} interleaved rounds × ${SECONDS} s per measurement; medians over rounds`);
  console.log(
    "CPU/req at concurrency 32 (ms): all: the machine's (every core and process); front: the process answering HTTP",
  );
  console.log(
    `${"".padEnd(24)} ${"concurrency 1 (ms)".padEnd(38)} concurrency 32\n${"".padEnd(24)} ${"p50".padStart(7)} ${"p90".padStart(7)} ${"p99".padStart(7)} ${"+p50".padStart(7)}     ${"req/s".padStart(7)} ${"p50".padStart(7)} ${"p99".padStart(7)} ${"all".padStart(7)} ${"front".padStart(7)}`,
  );
  const front = (name: string) =>
    name in watch ? ms(figure(32, name, (r) => r.watchedCpuPerRequest)) : "".padStart(7);
  const row = (label: string, name: string, added: string) =>
    console.log(
      `${label.padEnd(24)} ${ms(figure(1, name, (r) => r.p50))} ${ms(figure(1, name, (r) => r.p90))} ${ms(
        figure(1, name, (r) => r.p99),
      )} ${added.padStart(7)}     ${perSecond(figure(32, name, (r) => r.rps))} ${ms(figure(32, name, (r) => r.p50))} ${ms(
        figure(32, name, (r) => r.p99),
      )} ${ms(figure(32, name, (r) => r.cpuPerRequest))} ${front(name)}`,
    );
  const floorRps = figure(32, "queue floor", (r) => r.rps);
  const floorCpu = figure(32, "queue floor", (r) => r.cpuPerRequest);
  const verdicts: string[] = [];
  for (const name of Object.keys(cases)) {
    const mockP50 = figure(1, `${name}|mock`, (r) => r.p50);
    const addedOf = (target: string) => figure(1, `${name}|${target}`, (r) => r.p50) - mockP50;
    for (const target of targets)
      row(`${name} · ${target}`, `${name}|${target}`, target === "mock" ? "" : ms(addedOf(target)));
    const rps = (target: string) => figure(32, `${name}|${target}`, (r) => r.rps);
    const cpu = (target: string) => figure(32, `${name}|${target}`, (r) => r.cpuPerRequest);
    verdicts.push(
      `${name}: added p50 ${addedOf("aiaas").toFixed(2)} ms vs Portkey ${addedOf("portkey").toFixed(2)} ms` +
        ` (goal <= 1.5 and below Portkey); c32 ${(rps("aiaas") / rps("portkey")).toFixed(2)} × Portkey (goal >= 2),` +
        ` ${(rps("aiaas") / floorRps).toFixed(2)} × queue floor (goal >= 0.6);` +
        ` CPU per request ${(cpu("aiaas") / cpu("portkey")).toFixed(2)} × Portkey's, ${(cpu("aiaas") / floorCpu).toFixed(2)} × the floor's`,
    );
  }
  row("queue floor (BullMQ hop)", "queue floor", "");
  console.log("");
  for (const verdict of verdicts) console.log(verdict);

  await Promise.all([...Object.values(clients).map((client) => client.close()), floor.close()]);
  redis.disconnect();
  for (const server of [portkey, mock]) server.kill("SIGTERM");
  await Promise.all([ours.close(), portkey.exited, mock.exited]);
});
