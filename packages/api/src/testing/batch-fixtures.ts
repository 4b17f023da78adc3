import type { Db } from "@aiaas/db";
import { createBatch, storeFile } from "@aiaas/core/batches";
import { testKeyring } from "./api-caller.ts";

/** A tenant's batch as the API makes it, running: its input file sealed with the tenant's data key. */
export async function insertRunningBatch(db: Db, { tenantId, apiKeyId }: { tenantId: string; apiKeyId: string }) {
  const file = await storeFile(db, testKeyring(), {
    tenantId,
    purpose: "batch",
    filename: "input.jsonl",
    content: Buffer.from(
      '{"custom_id":"a","method":"POST","url":"/v1/embeddings","body":{"input":"victim\'s words"}}\n',
    ),
  });
  const batch = await createBatch(db, { tenantId, apiKeyId, endpoint: "/v1/embeddings", inputFileId: file.id });
  await db.batch.update({ where: { id: batch.id }, data: { status: "in_progress", total: 1 } });
  return { batchId: batch.id, fileId: file.id };
}
