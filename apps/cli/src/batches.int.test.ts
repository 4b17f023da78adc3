import { describe, expect, it } from "vitest";
import { createBatch, newFileId } from "@aiaas/core/batches";
import { createApiKey } from "@aiaas/core/keys";
import { aiaas, createTestTenant, testContext, testDb, testPepper } from "@aiaas/core/testing";

const db = testDb();

describe("aiaas batches", () => {
  it("lists a tenant's batches with their progress, and cancels one, audited", async () => {
    const tenant = await createTestTenant(db, "batches-cli");
    const { apiKey } = await db.$transaction((tx) =>
      createApiKey({ tenantId: tenant.id, name: "batch" }, { ...testContext, pepper: testPepper }, tx),
    );
    // The CLI reads no file's content: a row with bytes that are not a sealed file will do.
    const file = await db.file.create({
      data: {
        id: newFileId(),
        tenantId: tenant.id,
        purpose: "batch",
        filename: "in.jsonl",
        bytes: 1,
        content: new Uint8Array([0]),
      },
    });
    const batch = await createBatch(db, {
      tenantId: tenant.id,
      apiKeyId: apiKey.id,
      endpoint: "/v1/embeddings",
      inputFileId: file.id,
    });
    await db.batch.update({
      where: { id: batch.id },
      data: { status: "in_progress", total: 10, completed: 4, failed: 1 },
    });

    const listed = await aiaas(["batches", "list", "--tenant", tenant.slug]);
    expect(listed.stderr).toBe("");
    expect(listed.stdout).toContain(batch.id);
    expect(listed.stdout).toContain("5/10 ##########----------");

    const cancelled = await aiaas(["batches", "cancel", batch.id, "--tenant", tenant.slug]);
    expect(cancelled.stdout).toContain(`${batch.id} is cancelling.`);
    expect((await db.batch.findUniqueOrThrow({ where: { id: batch.id } })).status).toBe("cancelling");
    expect(
      await db.auditEvent.count({ where: { tenantId: tenant.id, action: "batch.cancel", targetId: batch.id } }),
    ).toBe(1);

    // Again: nothing changes, nothing more is audited.
    const again = await aiaas(["batches", "cancel", batch.id, "--tenant", tenant.slug]);
    expect(again.code).toBe(0);
    expect(await db.auditEvent.count({ where: { tenantId: tenant.id, action: "batch.cancel" } })).toBe(1);
    const done = await db.batch.update({ where: { id: batch.id }, data: { status: "completed" } });
    const refused = await aiaas(["batches", "cancel", done.id, "--tenant", tenant.slug]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain("only a validating or running batch can be cancelled");
  });
});
