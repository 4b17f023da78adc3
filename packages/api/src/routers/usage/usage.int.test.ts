import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRedis } from "@aiaas/core/platform";
import { testDb, testRedisUrl } from "@aiaas/core/testing";
import { callerFor } from "../../testing/api-caller.ts";
import { insertRequest, insertUsageDay } from "../../testing/usage-fixtures.ts";

const db = testDb();
const redis = createRedis(testRedisUrl(), "producer", "usage-test");
beforeAll(() => redis.connect());
afterAll(async () => {
  redis.disconnect();
  await db.$disconnect();
});

const DAY = 86_400_000;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY);
const utcDay = (date: Date) => date.toISOString().slice(0, 10);

/** An organisation with an owner and a key, as a customer would have after signing up. */
async function organisation(name: string) {
  const { caller: owner, user } = await callerFor(redis);
  const tenant = await owner.tenant.create({ name });
  const key = await owner.apiKeys.create({ name: `${name} backend` });
  return { owner, user, tenantId: tenant.id, keyId: key.id };
}

describe("usage.daily", () => {
  it("sums the tenant's usage_daily rows per UTC day over 30 days, zero-filled, and nothing of another tenant", async () => {
    const a = await organisation("Counted");
    const b = await organisation("Other");
    const secondKey = await a.owner.apiKeys.create({ name: "second" });
    const today = new Date();
    await insertUsageDay(db, {
      tenantId: a.tenantId,
      apiKeyId: a.keyId,
      day: today,
      requests: 3,
      inputTokens: 30,
      outputTokens: 12,
      costMicros: 5n,
    });
    // Same day, another key and model: added to the same day.
    await insertUsageDay(db, {
      tenantId: a.tenantId,
      apiKeyId: secondKey.id,
      model: "kjv-embed-mini",
      day: today,
      requests: 2,
      errors: 1,
      inputTokens: 8,
    });
    await insertUsageDay(db, {
      tenantId: a.tenantId,
      apiKeyId: a.keyId,
      day: daysAgo(3),
      requests: 1,
      outputTokens: 4,
    });
    await insertUsageDay(db, {
      tenantId: a.tenantId,
      apiKeyId: a.keyId,
      model: "paddleocr-v4",
      day: daysAgo(29),
      requests: 1,
      images: 1,
      costMicros: 1_000n,
    });
    // Outside the window, and another tenant's: neither counts.
    await insertUsageDay(db, { tenantId: a.tenantId, apiKeyId: a.keyId, day: daysAgo(30), requests: 100 });
    await insertUsageDay(db, {
      tenantId: b.tenantId,
      apiKeyId: b.keyId,
      day: today,
      requests: 1000,
      inputTokens: 1000,
    });

    const usage = await a.owner.usage.daily();
    expect(usage.days).toHaveLength(30);
    expect(usage.to).toBe(utcDay(today));
    expect(usage.from).toBe(utcDay(daysAgo(29)));
    expect(usage.days.at(-1)).toEqual({
      day: utcDay(today),
      requests: 5,
      errors: 1,
      inputTokens: 38,
      outputTokens: 12,
      images: 0,
      costMicros: 5n,
    });
    expect(usage.days.find((day) => day.day === utcDay(daysAgo(3)))).toMatchObject({ requests: 1, outputTokens: 4 });
    expect(usage.days.filter((day) => day.requests === 0)).toHaveLength(27);
    expect(usage.totals).toEqual({
      requests: 7,
      errors: 1,
      inputTokens: 38,
      outputTokens: 16,
      images: 1,
      costMicros: 1_005n,
    });

    expect((await b.owner.usage.daily()).totals.requests).toBe(1000);
    expect((await a.owner.usage.daily({ days: 7 })).totals.requests).toBe(6);
  });

  it("is readable by every role (usage:read), viewers included", async () => {
    const a = await organisation("Viewed");
    await insertUsageDay(db, { tenantId: a.tenantId, apiKeyId: a.keyId, day: new Date(), requests: 2 });
    const { caller: viewer } = await callerFor(redis, { tenantId: a.tenantId, role: "viewer" });
    expect((await viewer.usage.daily()).totals.requests).toBe(2);
  });
});

describe("usage.recent", () => {
  it("lists the tenant's latest requests, metadata only, newest first", async () => {
    const a = await organisation("Busy");
    const b = await organisation("Quiet");
    const older = await insertRequest(db, {
      tenantId: a.tenantId,
      apiKeyId: a.keyId,
      createdAt: daysAgo(1),
      status: "failed",
      errorCode: "model_overloaded",
    });
    const newer = await insertRequest(db, {
      tenantId: a.tenantId,
      apiKeyId: a.keyId,
      model: "kjv-embed-mini",
      endpoint: "/v1/embeddings",
      inputTokens: 5,
      outputTokens: 0,
      queueMs: 1,
      inferenceMs: 2,
      totalMs: 4,
      prompt: { input: "a secret prompt" },
      response: { data: [] },
      purgeAfter: new Date(Date.now() + 7 * DAY),
    });
    await insertRequest(db, { tenantId: b.tenantId, apiKeyId: b.keyId });

    const rows = await a.owner.usage.recent();
    expect(rows.map((row) => row.id)).toEqual([newer, older]);
    expect(rows[0]).toMatchObject({
      model: "kjv-embed-mini",
      endpoint: "/v1/embeddings",
      status: "succeeded",
      key: { id: a.keyId, name: "Busy backend" },
      inputTokens: 5,
      outputTokens: 0,
      queueMs: 1,
      inferenceMs: 2,
      totalMs: 4,
    });
    expect(rows[1]).toMatchObject({ status: "failed", errorCode: "model_overloaded", model: "kjv-gpt-mini" });
    const text = JSON.stringify(rows);
    expect(text).not.toMatch(/ciphertext|secret prompt/i);
    expect(await a.owner.usage.recent({ limit: 1 })).toHaveLength(1);
    expect((await b.owner.usage.recent()).map((row) => row.id)).not.toContain(newer);
  });
});

describe("usage.request", () => {
  it("tells whether the prompt is stored, without revealing it, and only within the tenant", async () => {
    const a = await organisation("Detailed");
    const b = await organisation("Nosy");
    await a.owner.tenant.update({ retention: "days_7" });
    const stored = await insertRequest(db, {
      tenantId: a.tenantId,
      apiKeyId: a.keyId,
      prompt: { messages: [{ role: "user", content: "hidden words" }] },
      response: { choices: [] },
      purgeAfter: new Date(Date.now() + 7 * DAY),
    });
    const cleared = await insertRequest(db, { tenantId: a.tenantId, apiKeyId: a.keyId, createdAt: daysAgo(8) });
    const notStored = await insertRequest(db, { tenantId: b.tenantId, apiKeyId: b.keyId });

    const detail = await a.owner.usage.request({ requestId: stored });
    expect(detail).toMatchObject({ id: stored, storage: { state: "stored" }, parts: { prompt: true, response: true } });
    expect(JSON.stringify(detail)).not.toContain("hidden words");
    expect((await a.owner.usage.request({ requestId: cleared })).storage).toMatchObject({
      state: "purged",
      note: "Purged after 7 days.",
    });
    expect((await b.owner.usage.request({ requestId: notStored })).storage).toMatchObject({
      state: "not_stored",
      note: "Not stored (retention: none).",
    });
    await expect(b.owner.usage.request({ requestId: stored })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("usage.readStored", () => {
  async function storedRequest() {
    const a = await organisation("Retained");
    await a.owner.tenant.update({ retention: "days_30" });
    const prompt = { model: "kjv-gpt-mini", messages: [{ role: "user", content: "In the beginning" }] };
    const response = { choices: [{ message: { role: "assistant", content: "God created the heaven" } }] };
    const requestId = await insertRequest(db, {
      tenantId: a.tenantId,
      apiKeyId: a.keyId,
      prompt,
      response,
      purgeAfter: new Date(Date.now() + 30 * DAY),
    });
    return { ...a, requestId, prompt, response };
  }
  const readsOf = (tenantId: string, requestId: string) =>
    db.auditEvent.findMany({ where: { chain: tenantId, action: "request.prompt.read", targetId: requestId } });

  it("decrypts the prompt and response for an owner, and audits the read", async () => {
    const a = await storedRequest();
    const read = await a.owner.usage.readStored({ requestId: a.requestId });
    expect(read).toMatchObject({ requestId: a.requestId, prompt: a.prompt, response: a.response });
    const events = await readsOf(a.tenantId, a.requestId);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      actorId: a.user.id,
      targetType: "request",
      metadata: { parts: ["prompt", "response"], model: "kjv-gpt-mini" },
    });
    // The audit event names the read, never what was read.
    expect(JSON.stringify(events)).not.toContain("In the beginning");
  });

  it("lets an admin read too", async () => {
    const a = await storedRequest();
    const { caller: admin } = await callerFor(redis, { tenantId: a.tenantId, role: "admin" });
    expect((await admin.usage.readStored({ requestId: a.requestId })).prompt).toEqual(a.prompt);
  });

  it.each(["viewer", "developer", "billing"] as const)(
    "refuses a %s (no prompts:read), who still sees the metadata",
    async (role) => {
      const a = await storedRequest();
      const { caller } = await callerFor(redis, { tenantId: a.tenantId, role });
      await expect(caller.usage.readStored({ requestId: a.requestId })).rejects.toMatchObject({
        code: "FORBIDDEN",
        message: `Your role (${role}) does not allow prompts:read.`,
      });
      expect((await caller.usage.request({ requestId: a.requestId })).storage.state).toBe("stored");
      expect(await readsOf(a.tenantId, a.requestId)).toHaveLength(0);
    },
  );

  it("finds nothing of another tenant's, and writes no event there", async () => {
    const a = await storedRequest();
    const b = await organisation("Thief");
    await expect(b.owner.usage.readStored({ requestId: a.requestId })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await readsOf(a.tenantId, a.requestId)).toHaveLength(0);
    expect(await readsOf(b.tenantId, a.requestId)).toHaveLength(0);
  });

  it("says why when nothing is stored, and once the retention period has passed", async () => {
    const a = await organisation("Forgetful");
    const never = await insertRequest(db, { tenantId: a.tenantId, apiKeyId: a.keyId });
    await expect(a.owner.usage.readStored({ requestId: never })).rejects.toMatchObject({
      code: "NOT_FOUND",
      message: "Not stored (retention: none).",
    });
    await a.owner.tenant.update({ retention: "days_7" });
    const expired = await insertRequest(db, {
      tenantId: a.tenantId,
      apiKeyId: a.keyId,
      createdAt: daysAgo(8),
      prompt: { input: "old" },
      purgeAfter: daysAgo(1),
    });
    await expect(a.owner.usage.readStored({ requestId: expired })).rejects.toMatchObject({
      code: "NOT_FOUND",
      message: "Purged after 7 days.",
    });
    expect(await db.auditEvent.count({ where: { chain: a.tenantId, action: "request.prompt.read" } })).toBe(0);
  });
});

describe("usage.breakdown", () => {
  it("lists use per UTC day, key and model, newest first, with names, and none of another tenant's", async () => {
    const a = await organisation("Broken down");
    const b = await organisation("Elsewhere");
    const today = new Date();
    await insertUsageDay(db, { tenantId: a.tenantId, apiKeyId: a.keyId, day: today, requests: 2, costMicros: 40n });
    await insertUsageDay(db, {
      tenantId: a.tenantId,
      apiKeyId: a.keyId,
      model: "kjv-embed-mini",
      day: daysAgo(3),
      requests: 5,
      inputTokens: 50,
      costMicros: 1n,
    });
    await insertUsageDay(db, { tenantId: a.tenantId, apiKeyId: a.keyId, day: daysAgo(40), requests: 9 });
    await insertUsageDay(db, { tenantId: b.tenantId, apiKeyId: b.keyId, day: today, requests: 7 });
    const rows = await a.owner.usage.breakdown({ days: 30 });
    expect(rows).toEqual([
      expect.objectContaining({
        day: utcDay(today),
        keyName: "Broken down backend",
        model: "kjv-gpt-mini",
        requests: 2,
        costMicros: 40n,
      }),
      expect.objectContaining({ day: utcDay(daysAgo(3)), model: "kjv-embed-mini", requests: 5, inputTokens: 50 }),
    ]);
    expect(await b.owner.usage.breakdown({ days: 30 })).toEqual([expect.objectContaining({ requests: 7 })]);
  });
});
