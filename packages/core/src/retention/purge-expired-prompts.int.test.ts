import { describe, expect, it } from "vitest";
import { newId } from "../ids.ts";
import { createTestTenant, testDb } from "../testing/fixtures.ts";
import { promptPurgeAfter } from "./prompt-retention.ts";
import { purgeExpiredPrompts } from "./purge-expired-prompts.ts";

const db = testDb();
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

async function storedRequest(tenantId: string, purgeAfter: Date | null) {
  const model = await db.model.findFirstOrThrow({ select: { id: true } });
  const id = newId("request");
  await db.request.create({
    data: {
      id,
      tenantId,
      modelId: model.id,
      endpoint: "/v1/chat/completions",
      promptCiphertext: new Uint8Array(Buffer.from(`prompt ${id}`)),
      responseCiphertext: new Uint8Array(Buffer.from(`response ${id}`)),
      purgeAfter,
    },
  });
  return id;
}

const stored = (id: string) =>
  db.request.findUniqueOrThrow({
    where: { id },
    select: { promptCiphertext: true, responseCiphertext: true, purgeAfter: true, tenantId: true },
  });

// Purges run with the real time (as workers do, maybe at the same moment): rows meant to stay are due later.
describe("purgeExpiredPrompts", () => {
  it("clears prompt and completion of the requests past purge_after, of every tenant, and nothing else", async () => {
    const [a, b] = [await createTestTenant(db), await createTestTenant(db)];
    const now = new Date();
    const expired = [
      await storedRequest(a.id, new Date(now.getTime() - DAY)),
      await storedRequest(a.id, now),
      await storedRequest(b.id, new Date(now.getTime() - 1)),
    ];
    const kept = [
      await storedRequest(a.id, new Date(now.getTime() + HOUR)),
      await storedRequest(b.id, new Date(now.getTime() + DAY)),
      await storedRequest(b.id, null),
    ];

    // Small batches: more than one round.
    expect(await purgeExpiredPrompts(db, now, { batchSize: 2 })).toBeGreaterThanOrEqual(expired.length);
    for (const id of expired) {
      expect(await stored(id)).toMatchObject({ promptCiphertext: null, responseCiphertext: null, purgeAfter: null });
    }
    for (const id of kept) {
      const row = await stored(id);
      expect(Buffer.from(row.promptCiphertext ?? []).toString()).toBe(`prompt ${id}`);
      expect(Buffer.from(row.responseCiphertext ?? []).toString()).toBe(`response ${id}`);
    }
    // The request rows stay (usage and billing refer to them), each in its own tenant.
    expect(await Promise.all(expired.map(async (id) => (await stored(id)).tenantId))).toEqual([a.id, a.id, b.id]);
  });

  it("purges a 7-day request once its 7 days are over, not before", async () => {
    const tenant = await createTestTenant(db);
    const now = new Date();
    const over = await storedRequest(tenant.id, promptPurgeAfter("days_7", new Date(now.getTime() - 7 * DAY - 1000)));
    const notYet = await storedRequest(tenant.id, promptPurgeAfter("days_7", new Date(now.getTime() - 7 * DAY + HOUR)));
    const never = promptPurgeAfter("none", now);
    expect(never).toBeNull();

    expect(await purgeExpiredPrompts(db, now)).toBeGreaterThanOrEqual(1);
    expect((await stored(over)).promptCiphertext).toBeNull();
    expect((await stored(notYet)).promptCiphertext).not.toBeNull();
  });
});
