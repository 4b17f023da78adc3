// Side by side, in one run: a minimal OpenAI-shaped mock upstream, Portkey's
// open-source gateway proxying to it, and our gateway serving the echo model
// (key check, admission, sealed job, BullMQ, worker, sealed result, usage
// and ledger write), for /v1/embeddings and /v1/chat/completions (whole and
// streamed), twice: coalescing requests into shared jobs (decision 0019, the
// default) and every request alone (GATEWAY_COALESCE_MAX=1, as before it);
// plus the floor of a BullMQ hop in this process. Concurrency 1:
// p50/p90/p99 and what each adds over the mock; concurrency 32 and 128:
// req/s with p50/p99, the machine's CPU time per request (all processes, the
// load generator included: what the answer costs, whatever the number of
// cores) and that of the process(es) that answer the HTTP request (mock,
// Portkey, our gateways). Rounds are interleaved; every figure is a median
// over rounds.
//   npx tsx bench/peer/run.ts [seconds per measurement, default 2] [rounds, default 3] [--gateways N]
import { createRequire } from "node:module";
import { parseArgs } from "node:util";
import { Redis } from "ioredis";
import { startServerProcess } from "@aiaas/core/testing";
import { startBenchGateway } from "../lib/bench-gateway.ts";
import { at, localServers, machine, withBenchDatabase } from "../lib/bench-stack.ts";
import { jsonPoster } from "../lib/http-client.ts";
import { queueFloor } from "../lib/queue-floor.ts";
import { interleavedRounds, ms, perSecond, type Runs } from "../lib/rounds.ts";

const { values, positionals } = parseArgs({ allowPositionals: true, options: { gateways: { type: "string" } } });
const SECONDS = Number(positionals[0] ?? 2);
const ROUNDS = Number(positionals[1] ?? 3);
/** Our gateway's processes (GATEWAY_PROCESSES): for machines with more cores than the path has processes. */
const GATEWAYS = values.gateways ?? "1";
const LOADS = [32, 128];

const messages = [{ role: "user", content: "Let there be light" }];
const cases = {
  embeddings: { path: "/v1/embeddings", body: { model: "echo", input: "Let there be light" } },
  chat: { path: "/v1/chat/completions", body: { model: "echo", messages } },
  "chat stream": { path: "/v1/chat/completions", body: { model: "echo", messages, stream: true } },
};
const targets = ["mock", "portkey", "aiaas", "aiaas alone"] as const;

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
  const gatewayEnv = { GATEWAY_PROCESSES: GATEWAYS };
  const ours = await startBenchGateway(stack, { models: "echo", gatewayEnv });
  const alone = await startBenchGateway(stack, {
    models: "echo",
    gatewayEnv: { ...gatewayEnv, GATEWAY_COALESCE_MAX: "1" },
  });
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
    "aiaas alone": jsonPoster(alone.url, { authorization: `Bearer ${alone.secret}` }),
  };
  const fronts = {
    mock: [mock.child.pid ?? 0],
    portkey: [portkey.child.pid ?? 0],
    aiaas: ours.pids.gateways,
    "aiaas alone": alone.pids.gateways,
  };
  const runs: Runs = { "queue floor": floor.run };
  const watch: Record<string, number[]> = {};
  for (const [name, { path, body }] of Object.entries(cases)) {
    const json = JSON.stringify(body);
    for (const target of targets) {
      runs[`${name}|${target}`] = async () => (await clients[target].post(path, json), 1);
      watch[`${name}|${target}`] = fronts[target];
    }
  }
  const { figure } = await interleavedRounds(runs, [1, ...LOADS], SECONDS, ROUNDS, { watch });

  console.log(
    `${machine()}; ${ROUNDS} interleaved rounds × ${SECONDS} s per measurement; medians over rounds; our gateway processes: ${GATEWAYS}`,
  );
  console.log("CPU/req (ms): all: the machine's (every core and process); front: the process(es) answering HTTP");
  const loadHeads = LOADS.map((c) => `${"".padStart(4)}${`concurrency ${c}`.padEnd(39)}`).join("");
  const columns = ["req/s", "p50", "p99", "all", "front"].map((head) => head.padStart(7)).join(" ");
  console.log(
    `${"".padEnd(26)} ${"concurrency 1 (ms)".padEnd(31)} ${loadHeads}\n${"".padEnd(26)} ${["p50", "p90", "p99", "+p50"].map((head) => head.padStart(7)).join(" ")} ${LOADS.map(() => `    ${columns}`).join("")}`,
  );
  const front = (c: number, name: string) =>
    name in watch ? ms(figure(c, name, (r) => r.watchedCpuPerRequest)) : "".padStart(7);
  const loaded = (c: number, name: string) =>
    `    ${perSecond(figure(c, name, (r) => r.rps))} ${ms(figure(c, name, (r) => r.p50))} ${ms(
      figure(c, name, (r) => r.p99),
    )} ${ms(figure(c, name, (r) => r.cpuPerRequest))} ${front(c, name)}`;
  const row = (label: string, name: string, added: string) =>
    console.log(
      `${label.padEnd(26)} ${ms(figure(1, name, (r) => r.p50))} ${ms(figure(1, name, (r) => r.p90))} ${ms(
        figure(1, name, (r) => r.p99),
      )} ${added.padStart(7)} ${LOADS.map((c) => loaded(c, name)).join("")}`,
    );
  const floorRps = figure(32, "queue floor", (r) => r.rps);
  const floorCpu = figure(32, "queue floor", (r) => r.cpuPerRequest);
  const verdicts: string[] = [];
  for (const name of Object.keys(cases)) {
    const mockP50 = figure(1, `${name}|mock`, (r) => r.p50);
    const addedOf = (target: string) => figure(1, `${name}|${target}`, (r) => r.p50) - mockP50;
    for (const target of targets)
      row(`${name} · ${target}`, `${name}|${target}`, target === "mock" ? "" : ms(addedOf(target)));
    const rps = (target: string, c = 32) => figure(c, `${name}|${target}`, (r) => r.rps);
    const cpu = (target: string) => figure(32, `${name}|${target}`, (r) => r.cpuPerRequest);
    const p99 = (target: string) => figure(32, `${name}|${target}`, (r) => r.p99);
    verdicts.push(
      `${name}: added p50 ${addedOf("aiaas").toFixed(2)} ms (alone ${addedOf("aiaas alone").toFixed(2)}) vs Portkey ${addedOf("portkey").toFixed(2)} ms;` +
        ` c32 ${(rps("aiaas") / rps("portkey")).toFixed(2)} × Portkey (goal >= 1.5; alone ${(rps("aiaas alone") / rps("portkey")).toFixed(2)}),` +
        ` c128 ${(rps("aiaas", 128) / rps("portkey", 128)).toFixed(2)} ×,` +
        ` ${(rps("aiaas") / floorRps).toFixed(2)} × queue floor (goal >= 0.6; alone ${(rps("aiaas alone") / floorRps).toFixed(2)});` +
        ` c32 p99 ${(p99("aiaas") / p99("portkey")).toFixed(2)} × Portkey's (goal <= 1);` +
        ` CPU per request ${(cpu("aiaas") / cpu("portkey")).toFixed(2)} × Portkey's, ${(cpu("aiaas") / floorCpu).toFixed(2)} × the floor's`,
    );
  }
  row("queue floor (BullMQ hop)", "queue floor", "");
  console.log("");
  for (const verdict of verdicts) console.log(verdict);

  await Promise.all([...Object.values(clients).map((client) => client.close()), floor.close()]);
  redis.disconnect();
  for (const server of [portkey, mock]) server.kill("SIGTERM");
  await Promise.all([ours.close(), alone.close(), portkey.exited, mock.exited]);
});
