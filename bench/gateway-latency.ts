// What the public path adds to inference: the same embedding input run by
// ONNX Runtime in this process, and sent through the gateway over HTTP (key
// check, sealed job, BullMQ, worker process, sealed result, usage write),
// with requests coalesced into shared jobs (the default) and each alone
// (GATEWAY_COALESCE_MAX=1), at concurrency 1 (p50, p99, added p50), 32 and
// 128 (req/s as a ratio of in-process). Rounds are interleaved; the table
// shows medians.
//   npx tsx bench/gateway-latency.ts [seconds per measurement, default 3] [rounds, default 3]
import { LocalEngine } from "@aiaas/inference";
import { modelZooFolders } from "@aiaas/model-zoo";
import { startBenchGateway } from "./lib/bench-gateway.ts";
import { machine, withBenchDatabase } from "./lib/bench-stack.ts";
import { jsonPoster } from "./lib/http-client.ts";
import type { LoadResult } from "./lib/load.ts";
import { interleavedRounds, type Runs } from "./lib/rounds.ts";

const SECONDS = Number(process.argv[2] ?? 3);
const ROUNDS = Number(process.argv[3] ?? 3);
const MODEL = "kjv-embed-mini";
const input = ["And God called the light Day, and the darkness he called Night."];

await withBenchDatabase(async (stack) => {
  const gateway = await startBenchGateway(stack, { models: MODEL });
  const alone = await startBenchGateway(stack, { models: MODEL, gatewayEnv: { GATEWAY_COALESCE_MAX: "1" } });
  const { threads } = gateway;
  const local = await LocalEngine.create({ modelDirs: [modelZooFolders()[MODEL] ?? ""], device: "cpu" });
  const client = jsonPoster(gateway.url, { authorization: `Bearer ${gateway.secret}` });
  const aloneClient = jsonPoster(alone.url, { authorization: `Bearer ${alone.secret}` });
  const body = JSON.stringify({ model: MODEL, input, encoding_format: "base64" });
  const paths: Runs = {
    "in-process ORT": async () => (await local.embed(MODEL, input), 1),
    "gateway (HTTP, full path)": async () => (await client.post("/v1/embeddings", body), 1),
    "gateway, each job alone": async () => (await aloneClient.post("/v1/embeddings", body), 1),
  };
  const concurrencies = [1, 32, 128];
  const { figure } = await interleavedRounds(paths, concurrencies, SECONDS, ROUNDS, { warmUp: 20 });

  console.log(`${machine()}; ${ROUNDS} rounds × ${SECONDS} s per measurement, medians; ORT threads ${threads}`);
  console.log(
    `${"conc".padStart(4)} ${"path".padEnd(27)} ${"req/s".padStart(8)} ${"p50 ms".padStart(8)} ${"p99 ms".padStart(8)}`,
  );
  for (const concurrency of concurrencies) {
    for (const name of Object.keys(paths)) {
      const stat = (pick: (row: LoadResult) => number) => figure(concurrency, name, pick);
      console.log(
        `${String(concurrency).padStart(4)} ${name.padEnd(27)} ${stat((r) => r.rps)
          .toFixed(1)
          .padStart(8)} ${stat((r) => r.p50)
          .toFixed(2)
          .padStart(8)} ${stat((r) => r.p99)
          .toFixed(2)
          .padStart(8)}`,
      );
    }
  }
  const [base = "", full = "", single = ""] = Object.keys(paths);
  const added = (name: string, pick: (row: LoadResult) => number) => figure(1, name, pick) - figure(1, base, pick);
  for (const name of [full, single])
    console.log(
      `${name}: added latency at concurrency 1: p50 ${added(name, (r) => r.p50).toFixed(2)} ms, p99 ${added(name, (r) => r.p99).toFixed(2)} ms`,
    );
  for (const concurrency of [32, 128]) {
    const ratio = (name: string) =>
      (figure(concurrency, name, (r) => r.rps) / figure(concurrency, base, (r) => r.rps)).toFixed(2);
    console.log(
      `throughput at concurrency ${concurrency}: ${ratio(full)} × in-process (goal >= 0.5 at 32), each job alone ${ratio(single)} ×`,
    );
  }

  await Promise.all([client.close(), aloneClient.close(), gateway.close(), alone.close(), local.close()]);
});
