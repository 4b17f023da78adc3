import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { QueueEvents, type Job } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditSigningKeys, CheckpointDirectory, verifyCheckpoints } from "@aiaas/core/audit";
import { parseMasterKeys, sealedKeyId, TenantKeyring } from "@aiaas/core/crypto";
import { createRedis } from "@aiaas/core/platform";
import {
  base64ToFloat32,
  InferenceClient,
  listLiveWorkers,
  parseJobFailure,
  payloadContext,
  queues,
  TokenStreamOrder,
  TokenStreamReader,
  requestCancel,
  sealJson,
  type InferenceJob,
  type InferenceResult,
} from "@aiaas/core/queue";
import { createTestTenant, testDb, testRedisUrl } from "@aiaas/core/testing";
import { testDatabaseUrl } from "@aiaas/db/testing";
import { helloWorldPng } from "@aiaas/inference/testing";
import { startWorkerProcess, testMasterKeys, type WorkerProcess } from "./testing/worker-process.ts";

const db = testDb();
const prefix = `wt${randomBytes(4).toString("hex")}`;
const masterKeys = testMasterKeys();
const keyring = new TenantKeyring(db, parseMasterKeys(masterKeys));
const redis = createRedis(testRedisUrl(), "client", "worker-test");
const reader = createRedis(testRedisUrl(), "client", "worker-test-streams");
const client = new InferenceClient(redis, prefix, keyring);
const workerEnv = (extra: Record<string, string> = {}) => ({
  DATABASE_URL: testDatabaseUrl(),
  REDIS_URL: testRedisUrl(),
  MASTER_KEYS: masterKeys,
  QUEUE_PREFIX: prefix,
  JOB_LOCK_MS: "1500",
  ...extra,
});
// The failure tests run their own workers on queues of their own, away from the shared worker.
const failurePrefix = `${prefix}f`;
const failureClient = new InferenceClient(redis, failurePrefix, keyring);

let worker: WorkerProcess;
let tenantId: string;

/** A page of many text lines: OCR takes a few seconds on it, long enough to interrupt. */
async function longPage() {
  const lines = Array.from(
    { length: 14 },
    (_, i) =>
      `<text x="20" y="${40 + i * 44}" font-family="DejaVu Serif" font-size="30">Line ${i + 1} of the long page</text>`,
  );
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="900" height="680"><rect width="100%" height="100%" fill="white"/>${lines.join("")}</svg>`;
  return (await sharp(Buffer.from(svg)).png().toBuffer()).toString("base64");
}

async function waitForState(job: Pick<Job, "getState" | "id">, state: string, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while ((await job.getState()) !== state) {
    if (Date.now() > deadline) throw new Error(`job ${job.id} never became ${state}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

beforeAll(async () => {
  tenantId = (await createTestTenant(db)).id;
  worker = await startWorkerProcess(workerEnv());
}, 90_000);

afterAll(async () => {
  worker.kill("SIGKILL");
  await Promise.all([client.close(), failureClient.close()]);
  redis.disconnect();
  reader.disconnect();
});

describe("inference worker (real Redis, Postgres and models)", () => {
  it("reads an image: PaddleOCR finds Hello World 2025", async () => {
    const image = (await helloWorldPng()).toString("base64");
    const job = await client.submit(tenantId, "paddleocr-v4", "ocr", { image });
    const { output, result } = await client.wait(job, "ocr", 30_000);
    expect(output.text).toBe("Hello World 2025");
    expect(output.lines[0]?.confidence).toBeGreaterThan(0.9);
    expect(result.usage).toEqual({ promptTokens: 0, completionTokens: 0, images: 1 });
    expect(result.workerId).toBe(worker.id);
    // Redis keeps the job's record, not its payloads: the image leaves once the job has run, and the
    // (sealed) text went to the waiting client only. The reply comes before BullMQ records the job's
    // end (decision 0015), so the record may lag it.
    await waitForState(job, "completed");
    await expect
      .poll(async () => "input" in ((await client.queue("paddleocr-v4").getJob(job.id ?? ""))?.data ?? {}))
      .toBe(false);
    const stored = await client.queue("paddleocr-v4").getJob(job.id ?? "");
    expect(stored?.returnvalue).toMatchObject({ usage: { images: 1 } });
    expect(stored?.returnvalue).not.toHaveProperty("output");
  });

  it("embeds sentences: one unit vector per input, batched across requests", async () => {
    const texts = [
      "In the beginning God created the heaven and the earth.",
      "The LORD is my shepherd; I shall not want.",
    ];
    const jobs = await Promise.all(
      Array.from({ length: 8 }, () => client.submit(tenantId, "kjv-embed-mini", "embedding", { input: texts })),
    );
    const results = await Promise.all(jobs.map((job) => client.wait(job, "embedding", 30_000)));
    for (const { output, result } of results) {
      const vectors = output.embeddings.map(base64ToFloat32);
      expect(vectors).toHaveLength(2);
      for (const vector of vectors) {
        expect(vector.length).toBe(128);
        expect(Math.hypot(...vector)).toBeCloseTo(1, 4);
      }
      expect(result.usage.promptTokens).toBeGreaterThan(10);
    }
    // Batched or not, every request got the same vectors.
    expect(new Set(results.map(({ output }) => output.embeddings.join())).size).toBe(1);
  });

  it("completes a prompt and a chat, with usage", async () => {
    const completion = await client.submit(tenantId, "kjv-gpt-mini", "completion", {
      prompt: "And the LORD spake unto Moses, saying,",
      maxTokens: 60,
      temperature: 0,
    });
    const { output, result } = await client.wait(completion, "completion", 30_000);
    expect(output.text.length).toBeGreaterThan(0);
    expect(["stop", "length"]).toContain(output.finishReason);
    expect(result.usage.promptTokens).toBe("And the LORD spake unto Moses, saying,".length);
    expect(result.usage.completionTokens).toBeGreaterThan(0);
    expect(result.usage.completionTokens).toBeLessThanOrEqual(60);

    const chat = await client.submit(tenantId, "kjv-gpt-mini", "chat", {
      messages: [{ role: "user", content: "Who made the heaven and the earth?" }],
      maxTokens: 40,
      seed: 3,
    });
    const answer = await client.wait(chat, "chat", 30_000);
    expect(answer.output.text.length).toBeGreaterThan(0);
  });

  it("streams generated text through Redis, sealed, in order", async () => {
    const job = await client.submit(
      tenantId,
      "kjv-gpt-mini",
      "completion",
      { prompt: "Blessed are the", maxTokens: 80, temperature: 0.7, seed: 11 },
      { stream: true },
    );
    const pieces: string[] = [];
    const dataKeyId = (await keyring.activeKey(tenantId)).id;
    let finish: string | undefined;
    const order = new TokenStreamOrder(job.data.requestId);
    for await (const entry of new TokenStreamReader(reader, redis, prefix, 500).read(job.data.requestId)) {
      const step = order.follow(entry);
      if (step.kind !== "text" && step.kind !== "end") continue;
      const sealed = Buffer.from(step.sealed, "base64");
      // Sealed with this tenant's data key, for this request's text only, at this place in the stream only.
      expect(sealedKeyId(sealed)).toBe(dataKeyId);
      await expect(keyring.open(tenantId, sealed, payloadContext(job.data.requestId, "output"))).rejects.toThrow(
        /does not open/,
      );
      await expect(keyring.open(tenantId, sealed, `${step.context}0`)).rejects.toThrow(/does not open/);
      const plaintext = (await keyring.open(tenantId, sealed, step.context)).toString("utf8");
      if (step.kind === "text") pieces.push(plaintext);
      else finish = plaintext;
    }
    const { output } = await client.wait(job, "completion", 30_000);
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.join("")).toBe(output.text);
    expect(finish).toBe(output.finishReason);
  });

  it("stops a cancelled request without running it to the end", async () => {
    const requestId = `req_${randomBytes(8).toString("hex")}`;
    await requestCancel(redis, prefix, requestId);
    const job = await client.submit(
      tenantId,
      "kjv-gpt-mini",
      "completion",
      { prompt: "And", maxTokens: 200 },
      { requestId },
    );
    const { output, result } = await client.wait(job, "completion", 30_000);
    expect(output.finishReason).toBe("cancelled");
    expect(result.usage.completionTokens).toBeLessThan(5);
  });

  it("fails a corrupt image once, with a clear reason, and does not retry it", async () => {
    const job = await client.submit(tenantId, "paddleocr-v4", "ocr", {
      image: Buffer.from("not an image").toString("base64"),
    });
    await expect(client.wait(job, "ocr", 30_000)).rejects.toThrow(/^invalid_image: The image could not be decoded/);
    const failed = await client.queue("paddleocr-v4").getJob(job.id ?? "");
    expect(failed?.attemptsMade).toBe(1);
    expect(parseJobFailure(failed?.failedReason)).toMatchObject({ code: "invalid_image" });
  });

  it("refuses a prompt longer than the model's context, naming the limit", async () => {
    const job = await client.submit(tenantId, "kjv-gpt-mini", "completion", { prompt: "a".repeat(300), maxTokens: 10 });
    await expect(client.wait(job, "completion", 30_000)).rejects.toThrow(
      /^context_length_exceeded: This model's maximum context length is 256 tokens/,
    );
  });

  it("never opens one tenant's input under another tenant's id", async () => {
    const other = await createTestTenant(db);
    const requestId = `req_${randomBytes(8).toString("hex")}`;
    const payload: InferenceJob = {
      v: 1,
      requestId,
      tenantId: other.id,
      model: "kjv-gpt-mini",
      task: "completion",
      input: await sealJson(keyring, tenantId, payloadContext(requestId, "input"), { prompt: "secret of tenant A" }),
      enqueuedAt: Date.now(),
    };
    const job = (await client.queue("kjv-gpt-mini").add("completion", payload, {
      ...queues.inference.options,
      jobId: requestId,
    })) as Job<InferenceJob, InferenceResult>;
    // Only its submitter waits for a job: this test looks at its record.
    await waitForState(job, "failed");
    expect((await client.queue("kjv-gpt-mini").getJob(requestId))?.failedReason).toMatch(
      /^undecryptable: data key .* is not a live key of this tenant/,
    );
    expect((await client.queue("kjv-gpt-mini").getJob(requestId))?.attemptsMade).toBe(1);
  });

  it("fails a payload that breaks the contract, and one past its deadline", async () => {
    const bad = await client.queue("paddleocr-v4").add("ocr", { v: 1, tenantId, task: "ocr" });
    await waitForState(bad, "failed");
    expect((await client.queue("paddleocr-v4").getJob(bad.id ?? ""))?.failedReason).toMatch(/^invalid_payload: /);
    const late = await client.submit(
      tenantId,
      "paddleocr-v4",
      "ocr",
      { image: "eA==" },
      { deadlineAt: Date.now() - 1 },
    );
    await expect(client.wait(late, "ocr", 30_000)).rejects.toThrow(/^deadline_exceeded: /);
  });

  it("beats: live in Redis and mirrored to worker_heartbeats", async () => {
    const live = await listLiveWorkers(redis, prefix);
    expect(live.find((status) => status.id === worker.id)).toMatchObject({
      provider: "cpu",
      models: expect.arrayContaining(["kjv-embed-mini", "kjv-gpt-mini", "paddleocr-v4"]) as unknown,
      concurrency: 32,
    });
    const row = await db.workerHeartbeat.findUniqueOrThrow({ where: { id: worker.id } });
    expect(row.providerNote).toMatch(/^CPU, because/);
    expect(row.stoppedAt).toBeNull();
  });
});

const events = new Map<string, QueueEvents>();
async function queueEvents(model: string, queuePrefix = prefix) {
  let queueEvents = events.get(`${queuePrefix}:${model}`);
  if (!queueEvents) {
    queueEvents = new QueueEvents(queues.inference.name(model), {
      connection: redis.duplicate({ maxRetriesPerRequest: null }),
      prefix: queuePrefix,
    });
    await queueEvents.waitUntilReady();
    events.set(`${queuePrefix}:${model}`, queueEvents);
  }
  return queueEvents;
}
afterAll(async () => {
  await Promise.all([...events.values()].map((e) => e.close()));
});

describe("worker failures and shutdown", () => {
  it("kill -9 mid-job: another worker completes the job, exactly once", async () => {
    const first = await startWorkerProcess(workerEnv({ WORKER_MODELS: "paddleocr-v4", QUEUE_PREFIX: failurePrefix }));
    const job = await failureClient.submit(tenantId, "paddleocr-v4", "ocr", { image: await longPage() });
    const completions: string[] = [];
    (await queueEvents("paddleocr-v4", failurePrefix)).on(
      "completed",
      ({ jobId }) => jobId === job.id && completions.push(jobId),
    );
    await waitForState(job, "active");
    first.kill("SIGKILL");
    expect(await first.exited).toBeNull();
    const second = await startWorkerProcess(workerEnv({ WORKER_MODELS: "paddleocr-v4", QUEUE_PREFIX: failurePrefix }));
    try {
      const { output, result } = await failureClient.wait(job, "ocr", 60_000);
      expect(result.workerId).toBe(second.id);
      expect(output.lines.length).toBeGreaterThan(10);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(completions).toEqual([job.id]);
      expect((await failureClient.queue("paddleocr-v4").getJob(job.id ?? ""))?.stalledCounter).toBe(1);
    } finally {
      second.kill("SIGKILL");
    }
  });

  it("SIGTERM drains: running jobs finish, then the worker exits 0 and says it stopped; its audit checkpoints verify", async () => {
    const checkpoints = mkdtempSync(join(tmpdir(), "worker-checkpoints-"));
    const signingKey = randomBytes(32).toString("base64");
    const draining = await startWorkerProcess(
      workerEnv({
        WORKER_MODELS: "paddleocr-v4",
        QUEUE_PREFIX: failurePrefix,
        AUDIT_SIGNING_KEY: signingKey,
        AUDIT_CHECKPOINT_DIR: checkpoints,
      }),
    );
    const page = await longPage();
    const jobs = await Promise.all(
      [1, 2].map(() => failureClient.submit(tenantId, "paddleocr-v4", "ocr", { image: page })),
    );
    await Promise.all(jobs.map((job) => waitForState(job, "active")));
    draining.kill("SIGTERM");
    const results = await Promise.all(jobs.map((job) => failureClient.wait(job, "ocr", 60_000)));
    expect(results.map(({ result }) => result.workerId)).toEqual([draining.id, draining.id]);
    expect(await draining.exited).toBe(0);
    const row = await db.workerHeartbeat.findUniqueOrThrow({ where: { id: draining.id } });
    expect(row.stoppedAt).not.toBeNull();
    expect(row.jobsDone).toBe(2);
    expect((await listLiveWorkers(redis, failurePrefix)).map((status) => status.id)).not.toContain(draining.id);
    // It signed the heads of every chain at start (and what moved when it stopped), this tenant's among them.
    const written = await new CheckpointDirectory(checkpoints).readAll();
    expect(written.unreadable).toBe(0);
    expect(written.checkpoints[0]?.heads.map((head) => head.chain)).toContain(tenantId);
    const report = await verifyCheckpoints(db, written.checkpoints, auditSigningKeys(signingKey).publicKey, [tenantId]);
    expect(report).toMatchObject({ unsigned: 0, disagreement: null });
    expect(report.checkpoints).toBeGreaterThan(0);
  });
});
