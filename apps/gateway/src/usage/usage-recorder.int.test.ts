import { randomBytes } from "node:crypto";
import { Registry } from "prom-client";
import { afterAll, describe, expect, it } from "vitest";
import { createRedis, FailureReporter, newId } from "@aiaas/core/platform";
import { deleteTenant } from "@aiaas/core/tenants";
import { createTestTenant, testContext, testDb, testRedisUrl } from "@aiaas/core/testing";
import { createTestKey } from "../testing/gateway-stack.ts";
import { UsageLog } from "./usage-log.ts";
import type { UsageRecord } from "./usage-record.ts";
import { UsageRecorder } from "./usage-recorder.ts";
import { UsageWriter } from "./usage-writer.ts";

const db = testDb();
const redis = createRedis(testRedisUrl(), "client", "usage-recorder-test");
afterAll(() => redis.disconnect());

const logged: { event?: string; requestId?: string }[] = [];
const failureLog = { error: (fields: object) => logged.push(fields) };

function recorderOn(prefix: string, registry = new Registry()) {
  const log = new UsageLog(redis, prefix);
  const recorder = new UsageRecorder(log, new UsageWriter(db), new FailureReporter(failureLog, registry, "test_"), {
    flushMs: 10,
    orphanAgeMs: 0,
    sweepEveryMs: 60_000,
  });
  return { log, recorder, registry };
}

/** A finished request of a tenant and key, as the lifecycle records it. */
async function usageOf(tenantId: string, apiKeyId: string, costMicros = 700n): Promise<UsageRecord> {
  const model = await db.model.findUniqueOrThrow({ where: { slug: "kjv-embed-mini" } });
  const now = new Date();
  return {
    requestId: `req_${randomBytes(12).toString("hex")}`,
    tenantId,
    apiKeyId,
    modelId: model.id,
    modelVersionId: null,
    endpoint: "/v1/embeddings",
    status: "succeeded",
    stream: false,
    errorCode: null,
    inputTokens: 7,
    outputTokens: 0,
    images: 0,
    costMicros,
    priceId: null,
    queueMs: 1,
    inferenceMs: 2,
    totalMs: 3,
    createdAt: now,
    finishedAt: now,
    idempotencyKey: null,
    bodyHash: null,
    stored: null,
  };
}

async function tenantWithKey() {
  const tenant = await createTestTenant(db, "usage");
  const key = await createTestKey({ tenantId: tenant.id });
  return { tenantId: tenant.id, keyId: key.id };
}

describe("the usage recorder", () => {
  it("dead-letters a record whose tenant was deleted meanwhile and writes the rest of its batch", async () => {
    const kept = await tenantWithKey();
    const gone = await tenantWithKey();
    const { recorder, registry } = recorderOn(`ur${randomBytes(4).toString("hex")}`);
    const records = [
      await usageOf(kept.tenantId, kept.keyId),
      await usageOf(gone.tenantId, gone.keyId),
      await usageOf(kept.tenantId, kept.keyId),
    ];
    await db.$transaction((tx) => deleteTenant({ tenant: gone.tenantId }, testContext, tx));
    await Promise.all(records.map((record) => recorder.record(record)));
    await recorder.close();
    const poisoned = records[1] as UsageRecord;
    expect(await db.ledgerEntry.count({ where: { tenantId: kept.tenantId } })).toBe(2);
    expect(await db.request.count({ where: { tenantId: kept.tenantId } })).toBe(2);
    const letters = await db.usageDeadLetter.findMany({ where: { requestId: poisoned.requestId } });
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({
      tenantId: gone.tenantId,
      reason: expect.stringMatching(/^23503: .*foreign key/) as unknown,
    });
    expect(letters[0]?.record).toMatchObject({ requestId: poisoned.requestId, costMicros: "700", stored: null });
    expect(await registry.metrics()).toMatch(/test_failures_total\{event="usage_dead_letter",script=""\} 1/);
    expect(logged).toContainEqual(
      expect.objectContaining({ event: "usage_dead_letter", requestId: poisoned.requestId }),
    );
  });

  it("writes what a dead gateway left in the log, once, however many gateways sweep it", async () => {
    const { tenantId, keyId } = await tenantWithKey();
    const prefix = `ur${randomBytes(4).toString("hex")}`;
    const { log } = recorderOn(prefix);
    // A gateway appended these and died before writing them.
    const records = await Promise.all(Array.from({ length: 20 }, () => usageOf(tenantId, keyId, 1_000n)));
    for (const record of records) await log.append(record);
    const sweepers = [recorderOn(prefix), recorderOn(prefix), recorderOn(prefix)];
    const taken = await Promise.all(sweepers.map(({ recorder }) => recorder.sweep()));
    expect(taken.reduce((sum, count) => sum + count, 0)).toBe(20);
    expect(await log.length()).toBe(0);
    const ledger = await db.ledgerEntry.findMany({ where: { tenantId } });
    expect(ledger.map((entry) => entry.requestId).sort()).toEqual(records.map((record) => record.requestId).sort());
    const [day] = await db.usageDaily.findMany({ where: { tenantId } });
    expect(day).toMatchObject({ requests: 20, costMicros: 20_000n });
    // Swept again (its lock expired): nothing left, nothing counted twice.
    await redis.del(`${prefix}:usage-log:sweeper`);
    await log.append(records[0] as UsageRecord);
    await recorderOn(prefix).recorder.sweep();
    expect(await db.usageDaily.findFirst({ where: { tenantId } })).toMatchObject({ requests: 20, costMicros: 20_000n });
    expect(await db.ledgerEntry.count({ where: { tenantId } })).toBe(20);
  });

  it("keeps an unreadable log entry as a dead letter instead of stopping the sweep", async () => {
    const { tenantId, keyId } = await tenantWithKey();
    const prefix = `ur${randomBytes(4).toString("hex")}`;
    const { log, recorder } = recorderOn(prefix);
    await redis.xadd(`${prefix}:usage-log`, "*", "r", '{"v":1,"requestId":');
    const readable = await usageOf(tenantId, keyId);
    await log.append(readable);
    expect(await recorder.sweep()).toBe(2);
    expect(await db.ledgerEntry.count({ where: { requestId: readable.requestId } })).toBe(1);
    const letter = await db.usageDeadLetter.findFirst({
      where: { reason: { contains: "unreadable log entry" } },
      orderBy: { createdAt: "desc" },
    });
    expect(letter?.record).toEqual({ raw: '{"v":1,"requestId":' });
    expect(await log.length()).toBe(0);
    expect(newId("usageDeadLetter")).toMatch(/^udl_/);
  });
});
