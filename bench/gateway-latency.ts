// What the public path adds to inference: the same embedding input run by
// ONNX Runtime in this process, and sent through the gateway over HTTP (key
// check, sealed job, BullMQ, worker process, sealed result, usage write),
// at concurrency 1 (p50, p99, added p50) and 32 (req/s as a ratio of
// in-process). Rounds are interleaved; the table shows medians.
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
  const { secret, threads } = gateway;
  const local = await LocalEngine.create({ modelDirs: [modelZooFolders()[MODEL] ?? ""], device: "cpu" });
  const client = jsonPoster(gateway.url, { authorization: `Bearer ${secret}` });
  const body = JSON.stringify({ model: MODEL, input, encoding_format: "base64" });
  const paths: Runs = {
    "in-process ORT": async () => (await local.embed(MODEL, input), 1),
    "gateway (HTTP, full path)": async () => (await client.post("/v1/embeddings", body), 1),
  };
  const { figure } = await interleavedRounds(paths, [1, 32], SECONDS, ROUNDS, { warmUp: 20 });

  console.log(`${machine()}; ${ROUNDS} rounds × ${SECONDS} s per measurement, medians; ORT threads ${threads}`);
  console.log(
    `${"conc".padStart(4)} ${"path".padEnd(27)} ${"req/s".padStart(8)} ${"p50 ms".padStart(8)} ${"p99 ms".padStart(8)}`,
  );
  for (const concurrency of [1, 32]) {
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
  const [base = "", full = ""] = Object.keys(paths);
  const added = (pick: (row: LoadResult) => number) => figure(1, full, pick) - figure(1, base, pick);
  const [base32, full32] = [base, full].map((name) => figure(32, name, (r) => r.rps));
  console.log(
    `added latency at concurrency 1: p50 ${added((r) => r.p50).toFixed(2)} ms, p99 ${added((r) => r.p99).toFixed(2)} ms (goal p50 <= 3 ms)`,
  );
  console.log(`throughput at concurrency 32: ${((full32 ?? 0) / (base32 ?? 1)).toFixed(2)} × in-process (goal >= 0.8)`);

  await Promise.all([client.close(), gateway.close(), local.close()]);
});
