// The compressed variants the zoo ships (train/quantize.py makes them;
// offered as kjv-gpt-mini:int8 and kjv-embed-mini:int8) beside their float32
// originals, in one run: file size, load time, memory, throughput at
// concurrency 1 and 32 (dynamic batching on), and quality on held-out data
// (the decoder's loss per character on held-out chapters; the embedder's
// triplet accuracy and retrieval@1). A variant that loses more than 2 % of
// its quality measure is marked "not offered". docs/models.md keeps the table.
//   apt-get install -y bible-kjv-text   (the held-out text)
//   npx tsx bench/model-variants.ts [seconds per measurement, default 2] [rounds, default 3]
import { execFileSync } from "node:child_process";
import { readFileSync, statSync } from "node:fs";
import * as ort from "onnxruntime-node";
import { LocalEngine } from "@aiaas/inference";
import { readModelFolder, type ModelUnit } from "@aiaas/inference/model-store";
import { modelZooFolders } from "@aiaas/model-zoo";
import { loadTextTokenizer } from "../packages/inference/src/text/text-tokenizer.ts";
import { decoderShape } from "../packages/inference/src/tasks/generation/decoder-shape.ts";
import { floatData, int64Rows } from "../packages/inference/src/tasks/ort-tensors.ts";
import { threadOptions } from "../packages/inference/src/runtime/execution-provider.ts";
import { machine, median } from "./lib/bench-stack.ts";
import { interleavedRounds } from "./lib/rounds.ts";

const SECONDS = Number(process.argv[2] ?? 2);
const ROUNDS = Number(process.argv[3] ?? 3);
const zoo = modelZooFolders();
const loadRss = new URL("./lib/load-rss.ts", import.meta.url).pathname;

/** Each shipped text model and its int8 variant, as the zoo ships it (quantize.py: MatMul weights in int8, dynamic activations). */
const variants = ["kjv-gpt-mini", "kjv-embed-mini"].flatMap((id) => [
  { model: id, variant: "fp32", source: { dir: zoo[id] ?? "" } },
  { model: id, variant: "int8", source: { dir: zoo[id] ?? "", variant: "int8" } },
]);

/** Held-out verses: every 20th chapter, as the training held them out (train/corpus.py). */
function heldOutVerses() {
  const out = execFileSync("bible", ["-f", "Gen1:1-Rev22:21"], { encoding: "utf8", maxBuffer: 64 << 20 });
  const verses = out
    .split("\n")
    .map((line) => /^([1-3]?[A-Za-z]+)(\d+):(\d+) (.*)$/.exec(line.trim()))
    .filter((match): match is RegExpExecArray => match !== null)
    .map(([, book, chapter, , text]) => ({ chapter: `${book}${chapter}`, text: (text ?? "").trim() }));
  const chapters = [...new Set(verses.map((verse) => verse.chapter))];
  const held = new Set(chapters.filter((_, index) => index % 20 === 19));
  return verses.filter((verse) => held.has(verse.chapter));
}
const valid = heldOutVerses();

/** Mean cross-entropy per character (nats) over windows of the held-out text, through the graph itself. */
async function decoderLoss(source: ModelUnit, windows = 40, width = 128) {
  const folder = await readModelFolder(source.dir, source.variant);
  const session = await ort.InferenceSession.create(folder.files.onnx ?? "", threadOptions());
  const config = JSON.parse(readFileSync(folder.files.config ?? "", "utf8")) as Record<string, unknown>;
  const { shape, pastNames } = decoderShape(config, session.inputNames);
  const tokenizer = await loadTextTokenizer(source.dir);
  const ids = tokenizer.encode(valid.map((verse) => verse.text).join("\n"));
  let total = 0;
  let count = 0;
  for (let w = 0; w < windows; w++) {
    const window = ids.slice(w * width * 3, w * width * 3 + width);
    const feeds: Record<string, ort.Tensor> = {
      input_ids: int64Rows([window], width, 0),
      attention_mask: int64Rows([window.map(() => 1)], width, 0),
      position_ids: int64Rows([window.map((_, i) => i)], width, 0),
    };
    for (const name of pastNames)
      feeds[name] = new ort.Tensor("float32", new Float32Array(0), [1, shape.heads, 0, shape.headDim]);
    const logits = floatData((await session.run(feeds)).logits, "logits");
    const vocabulary = logits.length / width;
    for (let i = 0; i < width - 1; i++) {
      const row = logits.subarray(i * vocabulary, (i + 1) * vocabulary);
      const max = Math.max(...row);
      const logSum = Math.log(row.reduce((sum, value) => sum + Math.exp(value - max), 0)) + max;
      total += logSum - (row[window[i + 1] ?? 0] ?? 0);
      count++;
    }
  }
  await session.release();
  return total / count;
}

const dot = (a: Float32Array, b: Float32Array) => a.reduce((sum, value, i) => sum + value * (b[i] ?? 0), 0);

/** Triplet accuracy (train/triplets.json) and retrieval@1: a verse's next verse as the nearest of 100. */
async function embedderQuality(engine: LocalEngine) {
  const triplets = JSON.parse(
    readFileSync(new URL("../packages/model-zoo/train/triplets.json", import.meta.url), "utf8"),
  ) as [string, string, string][];
  let right = 0;
  for (const [anchor, related, unrelated] of triplets) {
    const [a, r, u] = (await engine.embed("kjv-embed-mini", [anchor, related, unrelated])).vectors;
    if (a && r && u && dot(a, r) > dot(a, u)) right++;
  }
  // As the training measured it (train_embedder.py): pairs of verses at most 3 apart in a held-out chapter,
  // 100 pairs drawn at random a round, 20 rounds: is each verse's neighbour the nearest of the 100?
  const fits = (text: string) => text.split(/\s+/).length <= 35; // within the embedder's 64 tokens
  const pairs = valid.flatMap((verse, i) =>
    valid
      .slice(i + 1, i + 4)
      .filter((other) => other.chapter === verse.chapter && fits(verse.text) && fits(other.text))
      .map((other) => [verse.text, other.text] as const),
  );
  let seed = 99;
  const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  let found = 0;
  let asked = 0;
  for (let round = 0; round < 20; round++) {
    const chosen = Array.from({ length: 100 }, () => pairs[Math.floor(random() * pairs.length)] ?? ["", ""]);
    const anchors = (
      await engine.embed(
        "kjv-embed-mini",
        chosen.map(([a]) => a),
      )
    ).vectors;
    const neighbours = (
      await engine.embed(
        "kjv-embed-mini",
        chosen.map(([, b]) => b),
      )
    ).vectors;
    anchors.forEach((anchor, i) => {
      const scores = neighbours.map((neighbour) => dot(anchor, neighbour));
      if (scores.indexOf(Math.max(...scores)) === i) found++;
      asked++;
    });
  }
  return { triplets: right / triplets.length, retrieval: found / asked };
}

const megabytes = (bytes: number) => (bytes / 1e6).toFixed(2);
const rows = [];
for (const { model, variant, source } of variants) {
  const bytes = statSync((await readModelFolder(source.dir, source.variant)).files.onnx ?? "").size;
  const loads: number[] = [];
  for (let i = 0; i < 3; i++) {
    const started = performance.now();
    const engine = await LocalEngine.create({ modelDirs: [source], device: "cpu" });
    loads.push(performance.now() - started);
    await engine.close();
  }
  // Memory in a process of its own: what loading the model adds to a fresh one's resident set.
  const rss = Number(
    execFileSync(process.execPath, ["--import", "tsx", loadRss, source.dir, source.variant ?? ""], {
      encoding: "utf8",
    }).trim(),
  );
  const engine = await LocalEngine.create({ modelDirs: [source], device: "cpu" });
  const prompt = { prompt: "And the LORD spake unto Moses, saying,", maxTokens: 32, temperature: 0.8, seed: 1 };
  const sentence = ["And God called the light Day, and the darkness he called Night."];
  const run =
    model === "kjv-gpt-mini"
      ? async () => (await engine.generate(model, prompt)).completionTokens
      : async () => (await engine.embed(model, sentence), 1);
  const measured = await interleavedRounds({ [variant]: run }, [1, 32], SECONDS, ROUNDS, { warmUp: 10 });
  const embedder = model === "kjv-embed-mini" ? await embedderQuality(engine) : null;
  const quality = embedder
    ? { measure: "retrieval@1", value: embedder.retrieval, better: "higher" as const }
    : { measure: "loss (nats/char)", value: await decoderLoss(source), better: "lower" as const };
  const triplets = embedder?.triplets ?? null;
  await engine.close();
  rows.push({
    model,
    variant,
    bytes,
    loadMs: median(loads),
    rss,
    c1: measured.figure(1, variant, (r) => r.ups),
    c32: measured.figure(32, variant, (r) => r.ups),
    quality,
    triplets,
  });
}

console.log(`\n${machine()}, ${ROUNDS} rounds of ${SECONDS} s; held-out: ${valid.length} verses`);
console.log(
  "| model | variant | file (MB) | load (ms) | RSS added (MB) | c1 (units/s) | c32 (units/s) | quality | vs fp32 | offered |",
);
console.log("| --- | --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | --- |");
for (const row of rows) {
  const base = rows.find((other) => other.model === row.model && other.variant === "fp32") ?? row;
  const change = (row.quality.value - base.quality.value) / base.quality.value;
  const loss = row.quality.better === "lower" ? change : -change;
  const ratio = (value: number, of: number) => `${value.toFixed(0)} (×${(value / of).toFixed(2)})`;
  console.log(
    `| ${row.model} | ${row.variant} | ${megabytes(row.bytes)} (×${(row.bytes / base.bytes).toFixed(2)}) | ${row.loadMs.toFixed(0)} | ${megabytes(row.rss)} | ${ratio(row.c1, base.c1)} | ${ratio(row.c32, base.c32)} | ${row.quality.measure} ${row.quality.value.toFixed(3)}${row.triplets === null ? "" : `, triplets ${row.triplets.toFixed(3)}`} | ${(change * 100).toFixed(1)} % | ${loss > 0.02 ? "no (loses more than 2 %)" : "yes"} |`,
  );
}
console.log("units: generated tokens (kjv-gpt-mini), embeddings (kjv-embed-mini)");
