import { randomBytes } from "node:crypto";
import { UnrecoverableError, Worker, type Job } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseMasterKeys, TenantKeyring } from "@aiaas/core/crypto";
import { createRedis, FailureReporter } from "@aiaas/core/platform";
import {
  InferenceClient,
  inferenceJob,
  jobReceipt,
  openJson,
  sealJson,
  payloadContext,
  queues,
  type GroupReceipt,
  type InferenceJob,
  type InferenceResult,
} from "@aiaas/core/queue";
import { createTestTenant, testDb, testRedisUrl } from "@aiaas/core/testing";
import { Registry } from "prom-client";
import { JobCounters } from "./job-counters.ts";
import { startModelConsumers } from "./model-consumers.ts";
import { testMasterKeys } from "./testing/worker-process.ts";

const db = testDb();
const prefix = `mc${randomBytes(4).toString("hex")}`;
const keyring = new TenantKeyring(db, parseMasterKeys(testMasterKeys()));
const redis = createRedis(testRedisUrl(), "client", "model-consumers-test");
const workerRedis = createRedis(testRedisUrl(), "consumer", "model-consumers-test-worker");
const client = new InferenceClient(redis, prefix, keyring);
const attempts = new Map<string, number>();
let tenantId: string;
let consumers: ReturnType<typeof startModelConsumers>;

/** Echoes the sealed prompt back; the prompt may ask to fail (once, or for good). */
async function processor({ requestId, tenantId: tenant, input }: InferenceJob): Promise<InferenceResult> {
  const tries = (attempts.get(requestId) ?? 0) + 1;
  attempts.set(requestId, tries);
  const { prompt } = (await openJson(keyring, tenant, payloadContext(requestId, "input"), input)) as { prompt: string };
  if (prompt === "unrecoverable") throw new UnrecoverableError("invalid_input: no good");
  if (prompt === "fail once" && tries === 1) throw new Error("a transient fault");
  return {
    v: 1,
    output: await sealJson(keyring, tenant, payloadContext(requestId, "output"), {
      text: `${prompt} (attempt ${tries})`,
      finishReason: "stop",
    }),
    usage: { promptTokens: 1, completionTokens: 1, images: 0 },
    timing: { queueMs: 0, inferenceMs: 0 },
    workerId: "test",
  };
}

beforeAll(async () => {
  tenantId = (await createTestTenant(db)).id;
  consumers = startModelConsumers(
    ["echo"],
    (payload) => processor(payload),
    new JobCounters(),
    { connection: workerRedis, prefix, concurrency: 4, lockMs: 5_000 },
    { onFailed: () => {}, onError: () => {} },
    new FailureReporter({ error: () => {} }, new Registry(), "test_"),
  );
});

afterAll(async () => {
  await consumers.close();
  await client.close();
  redis.disconnect();
  workerRedis.disconnect();
});

describe("replies on the submitting client's channel", () => {
  it("answers a submitted job on its reply channel, with no queue event stream read", async () => {
    const job = await client.submit(tenantId, "echo", "completion", { prompt: "hello" });
    const channels = await redis.pubsub("CHANNELS", `${prefix}:replies:*`);
    expect(channels).toEqual([job.data.replyTo]);
    const { output } = await client.wait(job, "completion", 10_000);
    expect(output.text).toBe("hello (attempt 1)");
    // Nobody follows the queue's events: no connection of this client (they share its name) blocks on XREAD.
    const clients = String(await redis.client("LIST")).split("\n");
    expect(clients.filter((line) => line.includes("model-consumers-test ")).length).toBeGreaterThan(1);
    expect(clients.filter((line) => line.includes("model-consumers-test ") && line.includes("cmd=xread"))).toEqual([]);
  });

  it("waits through a retried attempt for the job's real end", async () => {
    const job = await client.submit(tenantId, "echo", "completion", { prompt: "fail once" });
    const { output } = await client.wait(job, "completion", 10_000);
    expect(output.text).toBe("fail once (attempt 2)");
  });

  it("fails the wait with the reason of a job failed for good, once BullMQ has recorded it", async () => {
    const job = await client.submit(tenantId, "echo", "completion", { prompt: "unrecoverable" });
    await expect(client.wait(job, "completion", 10_000)).rejects.toThrow("invalid_input: no good");
    expect(await job.getState()).toBe("failed");
  });

  it("fails a wait whose reply was lost within seconds, saying so, instead of waiting out its timeout", async () => {
    const job = await client.submit(tenantId, "silent", "completion", { prompt: "quiet" });
    // A worker that records the job's end (a receipt, as ours do) but whose reply never arrives.
    const silent = new Worker(
      queues.inference.name("silent"),
      async (run: Job) => jobReceipt(await processor(inferenceJob.parse(run.data))),
      { connection: workerRedis, prefix },
    );
    try {
      // The wait's timeout is 30 s: this failure (not "timed out") comes from its look at the job's record.
      await expect(client.wait(job, "completion", 30_000)).rejects.toThrow(
        /finished, but its result was lost on the way: its reply never came/,
      );
    } finally {
      await silent.close();
    }
  });

  it("keeps a finished job's record without its sealed input or output", async () => {
    const done = await client.submit(tenantId, "echo", "completion", { prompt: "kept short" });
    await client.wait(done, "completion", 10_000);
    const failed = await client.submit(tenantId, "echo", "completion", { prompt: "unrecoverable" });
    await expect(client.wait(failed, "completion", 10_000)).rejects.toThrow();
    const queue = client.queue("echo");
    const dataOf = async (id: string | undefined) => (await queue.getJob(id ?? ""))?.data as Record<string, unknown>;
    await expect.poll(async () => "input" in (await dataOf(done.id)), { timeout: 5_000 }).toBe(false);
    await expect.poll(async () => "input" in (await dataOf(failed.id)), { timeout: 5_000 }).toBe(false);
    const record = await queue.getJob(done.id ?? "");
    expect(record?.data).toMatchObject({ requestId: done.data.requestId, tenantId, task: "completion" });
    expect(record?.returnvalue).toMatchObject({ usage: { promptTokens: 1, completionTokens: 1, images: 0 } });
    expect(record?.returnvalue).not.toHaveProperty("output");
  });

  it("lets only the submitter wait for a job (a repeat of an idempotent request waits for the first one's record)", async () => {
    const other = new InferenceClient(redis, prefix, keyring);
    try {
      const job = await other.submit(tenantId, "echo", "completion", { prompt: "elsewhere" });
      await expect(client.wait(job, "completion", 10_000)).rejects.toThrow(/was not submitted here/);
      expect((await other.wait(job, "completion", 10_000)).output.text).toBe("elsewhere (attempt 1)");
    } finally {
      await other.close();
    }
  });
});

describe("groups of coalesced requests", () => {
  it("answers each member of a three-tenant group alone: one fails for good, one is retried as a job of its own", async () => {
    const grouping = new InferenceClient(redis, prefix, keyring, {
      maxMembers: 3,
      windowMs: 5_000,
      accepted: () => true,
    });
    try {
      const [other, third] = [(await createTestTenant(db)).id, (await createTestTenant(db)).id];
      // A request in flight makes the model busy here: the next ones wait for company (three, then they go).
      const blocker = await grouping.submit(tenantId, "echo", "completion", { prompt: "first" });
      const [ok, flaky, bad] = await Promise.all([
        grouping.submit(tenantId, "echo", "completion", { prompt: "grouped" }),
        grouping.submit(other, "echo", "completion", { prompt: "fail once" }),
        grouping.submit(third, "echo", "completion", { prompt: "unrecoverable" }),
      ]);
      expect(blocker.group).toBeUndefined();
      expect(ok.group).toMatch(/^grp_/);
      expect([flaky.group, bad.group]).toEqual([ok.group, ok.group]);
      expect((await grouping.wait(blocker, "completion", 10_000)).output.text).toBe("first (attempt 1)");
      expect((await grouping.wait(ok, "completion", 10_000)).output.text).toBe("grouped (attempt 1)");
      // The transient fault ran again as a job of its own (id: the request's), counted as its second attempt.
      expect((await grouping.wait(flaky, "completion", 10_000)).output.text).toBe("fail once (attempt 2)");
      await expect(grouping.wait(bad, "completion", 10_000)).rejects.toThrow("invalid_input: no good");
      const queue = grouping.queue("echo");
      expect((await queue.getJob(flaky.id))?.data).toMatchObject({ tenantId: other, attemptsBefore: 1 });
      // The group's record: each member's outcome, no sealed input or output.
      const group = await queue.getJob(ok.group ?? "");
      expect(group?.name).toBe("group");
      // Members keep the order they joined in, which concurrent submits do not fix: compared by id.
      const usageOfOne = { promptTokens: 1, completionTokens: 1, images: 0 };
      const outcomes = (group?.returnvalue as GroupReceipt).members;
      expect(new Map(outcomes.map((outcome) => [outcome.id, outcome]))).toEqual(
        new Map([
          [ok.id, { id: ok.id, receipt: expect.objectContaining({ usage: usageOfOne }) as unknown }],
          [flaky.id, { id: flaky.id, requeued: true }],
          [bad.id, { id: bad.id, failedReason: "invalid_input: no good" }],
        ]),
      );
      expect(JSON.stringify(group?.returnvalue)).not.toContain('"output"');
      await expect
        .poll(async () => JSON.stringify((await queue.getJob(ok.group ?? ""))?.data), { timeout: 5_000 })
        .not.toContain('"input"');
      // Each member's state is its own, read from the group's record (or its own job).
      expect(await Promise.all([ok, flaky, bad].map((job) => job.getState()))).toEqual([
        "completed",
        "completed",
        "failed",
      ]);
    } finally {
      await grouping.close();
    }
  });

  it("fails only the member it cannot read: the group's other members are answered", async () => {
    const queue = client.queue("echo");
    const requestId = `req_readable${randomBytes(4).toString("hex")}`;
    const readable: InferenceJob = {
      v: 1,
      requestId,
      tenantId,
      model: "echo",
      task: "completion",
      input: await sealJson(keyring, tenantId, payloadContext(requestId, "input"), { prompt: "read me" }),
      enqueuedAt: Date.now(),
    };
    const unreadable = { requestId: "req_unreadable", tenantId, task: "no such task" };
    const group = await queue.add("group", { v: 1, group: "grp_mixed", members: [readable, unreadable] });
    await expect.poll(async () => (await queue.getJob(group.id ?? ""))?.finishedOn, { timeout: 10_000 }).toBeDefined();
    const finished = await queue.getJob(group.id ?? "");
    expect(await finished?.getState()).toBe("completed");
    expect(finished?.returnvalue).toMatchObject({
      members: [
        { id: requestId, receipt: { usage: { promptTokens: 1 } } },
        { id: "req_unreadable", failedReason: expect.stringMatching(/^invalid_payload: /) as unknown },
      ],
    });
  });

  it("sends no group to a model whose workers do not all take them, nor a request that must travel alone", async () => {
    const refusing = new InferenceClient(redis, prefix, keyring, {
      maxMembers: 3,
      windowMs: 5_000,
      accepted: () => false,
    });
    const grouping = new InferenceClient(redis, prefix, keyring, {
      maxMembers: 2,
      windowMs: 5_000,
      accepted: () => true,
    });
    try {
      const first = await refusing.submit(tenantId, "echo", "completion", { prompt: "a" });
      const second = await refusing.submit(tenantId, "echo", "completion", { prompt: "b" });
      expect([first.group, second.group]).toEqual([undefined, undefined]);
      const busy = await grouping.submit(tenantId, "echo", "completion", { prompt: "c" });
      const alone = await grouping.submit(tenantId, "echo", "completion", { prompt: "d" }, { alone: true });
      expect([busy.group, alone.group]).toEqual([undefined, undefined]);
      for (const [client, job] of [
        [refusing, first],
        [refusing, second],
        [grouping, busy],
        [grouping, alone],
      ] as const)
        await client.wait(job, "completion", 10_000);
    } finally {
      await refusing.close();
      await grouping.close();
    }
  });
});
