import { describe, expect, it } from "vitest";
import { createTestTenant, testDb } from "../testing/index.ts";
import { newFileId, purgeExpiredFiles } from "./stored-files.ts";

const db = testDb();

describe("purgeExpiredFiles", () => {
  it("deletes the files whose time is up and keeps the rest", async () => {
    const tenant = await createTestTenant(db, "files-expiry");
    const file = (expiresAt: Date | null) =>
      db.file.create({
        data: {
          id: newFileId(),
          tenantId: tenant.id,
          purpose: "batch_output",
          filename: "o.jsonl",
          bytes: 1,
          content: new Uint8Array([1]),
          expiresAt,
        },
      });
    const expired = await file(new Date(Date.now() - 1000));
    const later = await file(new Date(Date.now() + 86_400_000));
    const forever = await file(null);
    expect(await purgeExpiredFiles(db)).toBeGreaterThanOrEqual(1);
    const left = await db.file.findMany({ where: { tenantId: tenant.id }, select: { id: true } });
    expect(left.map((row) => row.id).sort()).toEqual([later.id, forever.id].sort());
    expect(left.map((row) => row.id)).not.toContain(expired.id);
  });
});
