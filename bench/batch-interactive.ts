// Interactive latency while a large batch runs (the Batches API): chat
// completions to kjv-gpt-mini one at a time, alone and while a batch of
// LINES lines for the same model runs on the same gateway and worker. Each
// round measures alone, then starts a batch, measures once it runs, and
// cancels it; the table shows medians and the ratio (goal: p50 at most
// 1.2 × alone), and the batch's lines per second meanwhile.
//   npx tsx bench/batch-interactive.ts [seconds per measurement, default 10] [rounds, default 3] [lines, default 10000]
import OpenAI, { toFile } from "openai";
import { startBenchGateway } from "./lib/bench-gateway.ts";
import { machine, median, withBenchDatabase } from "./lib/bench-stack.ts";
import { jsonPoster } from "./lib/http-client.ts";
import { load } from "./lib/load.ts";

const SECONDS = Number(process.argv[2] ?? 10);
const ROUNDS = Number(process.argv[3] ?? 3);
const LINES = Number(process.argv[4] ?? 10_000);
const MODEL = "kjv-gpt-mini";
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const chat = (content: string) => ({ model: MODEL, messages: [{ role: "user", content }], max_tokens: 16, seed: 1 });

await withBenchDatabase(async (stack) => {
  const gateway = await startBenchGateway(stack, { models: MODEL });
  const client = new OpenAI({ apiKey: gateway.secret, baseURL: `${gateway.url}/v1` });
  const poster = jsonPoster(gateway.url, { authorization: `Bearer ${gateway.secret}` }, 1);
  const interactive = async () => (await poster.post("/v1/chat/completions", JSON.stringify(chat("And God said"))), 1);
  const text = Array.from({ length: LINES }, (_, i) =>
    JSON.stringify({ custom_id: `l${i}`, method: "POST", url: "/v1/chat/completions", body: chat(`Verse ${i}`) }),
  ).join("\n");
  const file = await client.files.create({ file: await toFile(Buffer.from(text), "bench.jsonl"), purpose: "batch" });
  await load(interactive, 1, 2); // warm up

  const alone: number[] = [];
  const during: number[] = [];
  const linesPerSecond: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    alone.push((await load(interactive, 1, SECONDS)).p50);
    const batch = await client.batches.create({
      input_file_id: file.id,
      endpoint: "/v1/chat/completions",
      completion_window: "24h",
    });
    while ((await client.batches.retrieve(batch.id)).request_counts?.completed === 0) await sleep(200);
    const before = (await client.batches.retrieve(batch.id)).request_counts?.completed ?? 0;
    const started = performance.now();
    during.push((await load(interactive, 1, SECONDS)).p50);
    const after = (await client.batches.retrieve(batch.id)).request_counts?.completed ?? 0;
    linesPerSecond.push((after - before) / ((performance.now() - started) / 1000));
    await client.batches.cancel(batch.id);
    while ((await client.batches.retrieve(batch.id)).status !== "cancelled") await sleep(200);
  }

  console.log(`${machine()}; ${ROUNDS} rounds × ${SECONDS} s, medians; batch of ${LINES} lines, 8 in flight`);
  console.log(`interactive p50 alone:              ${median(alone).toFixed(1)} ms`);
  console.log(`interactive p50 while a batch runs: ${median(during).toFixed(1)} ms`);
  console.log(`ratio: ${(median(during) / median(alone)).toFixed(2)} × (goal <= 1.2)`);
  console.log(`batch meanwhile: ${median(linesPerSecond).toFixed(1)} lines/s`);
  await Promise.all([poster.close(), gateway.close()]);
});
