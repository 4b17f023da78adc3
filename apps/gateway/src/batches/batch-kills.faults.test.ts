import OpenAI, { toFile } from "openai";
import { describe, expect, it } from "vitest";
import { faultRun, longFaults, sleep } from "../faults/fault-books.ts";

/**
 * A batch through the official client while its processes die: two
 * gateways and two workers (the fault stack, echo at one micro-unit an input
 * token), kill -9 a worker, then the gateway driving the batch. Every
 * custom_id is answered once, and usage and ledger hold each line once, at
 * the batch price.
 */
const run = faultRun(["batch under kill -9"]);
const LINES = longFaults ? 10_000 : 1_000;

type OutputLine = {
  custom_id: string;
  response: { status_code: number; request_id: string; body: { usage: { prompt_tokens: number } } };
};

describe("a batch while its processes die", () => {
  it(`${LINES} lines, kill -9 a worker and the batch's gateway: every line answered and billed once`, async () => {
    const tenant = run.stack.tenants[1];
    const clientAt = (index: number) =>
      new OpenAI({ apiKey: tenant?.secret ?? "", baseURL: `${run.stack.urls()[index] ?? ""}/v1`, maxRetries: 3 });
    const lines = Array.from({ length: LINES }, (_, i) => ({
      custom_id: `request-${i}`,
      method: "POST",
      url: "/v1/chat/completions",
      body: { model: "echo", messages: [{ role: "user", content: `line ${i} ${"word ".repeat(i % 7)}` }] },
    }));
    const text = lines.map((line) => JSON.stringify(line)).join("\n");
    const file = await clientAt(0).files.create({
      file: await toFile(Buffer.from(text), "big.jsonl"),
      purpose: "batch",
    });
    const { id } = await clientAt(0).batches.create({
      input_file_id: file.id,
      endpoint: "/v1/chat/completions",
      completion_window: "24h",
    });
    const progress = async (index = 1) => (await clientAt(index).batches.retrieve(id)).request_counts?.completed ?? 0;
    const started = Date.now();
    while ((await progress(0)) < LINES * 0.1) await sleep(100);

    const [worker] = run.stack.workers;
    worker?.kill("SIGKILL");
    await worker?.exited;
    // Restarted in the background: the batch goes on meanwhile on the other worker.
    const workerBack = sleep(500).then(() => run.stack.restartWorker(0));
    while ((await progress(0)) < LINES * 0.3) await sleep(100);

    // The gateway holding the batch's lease: its pid is in the lease owner.
    const owner = (await run.stack.db.batch.findUniqueOrThrow({ where: { id } })).leaseOwner ?? "";
    const driving = run.stack.gateways.findIndex((gateway) => owner.split(":")[1] === String(gateway.child.pid));
    expect(driving).toBeGreaterThanOrEqual(0);
    const atKill = await progress(driving);
    run.stack.gateways[driving]?.kill("SIGKILL");
    // The kill lands mid-batch, with lines in flight, or the test proves nothing.
    expect(atKill).toBeLessThan(LINES * 0.9);
    await run.stack.gateways[driving]?.exited;
    await Promise.all([run.stack.restartGateway(driving), workerBack]);

    let batch = await clientAt(0).batches.retrieve(id);
    while (batch.status !== "completed" && Date.now() - started < 170_000) {
      await sleep(250);
      batch = await clientAt(1 - driving).batches.retrieve(id);
    }
    run.report.push(
      `| ${LINES} lines | killed a worker at ≥${LINES * 0.1}, the driving gateway at ${atKill} | ${batch.status} in ${((Date.now() - started) / 1000).toFixed(1)} s |`,
    );
    expect(batch.status).toBe("completed");
    expect(batch.request_counts).toEqual({ total: LINES, completed: LINES, failed: 0 });
    expect(batch.error_file_id).toBeNull();

    const output = (await (await clientAt(0).files.content(batch.output_file_id ?? "")).text())
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as OutputLine);
    expect(output.map((line) => line.custom_id)).toEqual(lines.map((line) => line.custom_id));
    expect(new Set(output.map((line) => line.response.request_id)).size).toBe(LINES);

    // Usage and ledger: each line's request once, at half the price (echo: 1 µ an input token, so ⌊tokens / 2⌋).
    const requestIds = output.map((line) => line.response.request_id);
    const expected = output.reduce(
      (sum, line) => sum + BigInt(Math.floor(line.response.body.usage.prompt_tokens / 2)),
      0n,
    );
    for (let waited = 0; waited < 15_000; waited += 250) {
      if ((await run.stack.db.ledgerEntry.count({ where: { tenantId: tenant?.id } })) >= LINES) break;
      await sleep(250);
    }
    const events = await run.stack.db.usageEvent.findMany({ where: { tenantId: tenant?.id } });
    expect(
      events
        .filter((event) => event.status === "succeeded")
        .map((event) => event.requestId)
        .sort(),
    ).toEqual([...requestIds].sort());
    const ledger = await run.stack.db.ledgerEntry.groupBy({
      by: ["requestId"],
      where: { tenantId: tenant?.id },
      _count: true,
      _sum: { amountMicros: true },
    });
    expect(ledger).toHaveLength(LINES);
    expect(ledger.every((entry) => entry._count === 1)).toBe(true);
    expect(ledger.reduce((sum, entry) => sum + (entry._sum.amountMicros ?? 0n), 0n)).toBe(expected);
  }, 180_000);
});
