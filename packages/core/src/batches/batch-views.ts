import type { DbOrTx, Tx } from "@aiaas/db";
import type { ChangeContext } from "../actor.ts";
import { appendAuditEvent } from "../audit/append-audit-event.ts";
import type { TenantKeyring } from "../crypto/tenant-keyring.ts";
import { notFound } from "../errors.ts";
import { activeBatchStatuses, cancelBatch } from "./batch-state.ts";
import { fileContext } from "./stored-files.ts";

/** The tenant's batches, newest first: what the console's Batches page shows (no line, no content). */
export async function listBatches({ tenantId, limit }: { tenantId: string; limit: number }, db: DbOrTx) {
  const rows = await db.batch.findMany({
    where: { tenantId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit,
    select: {
      id: true,
      endpoint: true,
      status: true,
      total: true,
      completed: true,
      failed: true,
      inputFileId: true,
      outputFileId: true,
      errorFileId: true,
      createdAt: true,
      expiresAt: true,
      completedAt: true,
      metadata: true,
      errors: true,
    },
  });
  return rows.map((row) => ({
    ...row,
    /** Lines written of the total: the progress bar's value. */
    done: row.completed + row.failed,
    active: (activeBatchStatuses as readonly string[]).includes(row.status),
  }));
}

/** A person cancels a batch (console, CLI): as the API does, audited (`batch.cancel`) in the tenant's log when it changed anything. */
export async function cancelBatchAudited(
  { tenantId, batchId }: { tenantId: string; batchId: string },
  ctx: ChangeContext,
  tx: Tx,
) {
  const { batch, changed } = await cancelBatch(tx, tenantId, batchId);
  if (changed)
    await appendAuditEvent({ tenantId, action: "batch.cancel", targetType: "batch", targetId: batchId }, ctx, tx);
  return { id: batch.id, status: batch.status };
}

/**
 * One of a batch's files (its input, output or errors) opened for a person
 * allowed to read prompts and answers (`prompts:read`): the read is in the
 * tenant's audit log (`file.read`) in the same transaction, or nothing is
 * revealed.
 */
export async function readBatchFile(
  { tenantId, fileId }: { tenantId: string; fileId: string },
  ctx: ChangeContext & { keyring: TenantKeyring },
  tx: Tx,
) {
  const file = await tx.file.findFirst({
    where: { id: fileId, tenantId },
    select: { filename: true, purpose: true, bytes: true, content: true },
  });
  if (!file) throw notFound(`file "${fileId}"`);
  const content = await ctx.keyring.open(tenantId, file.content, fileContext(fileId));
  await appendAuditEvent(
    {
      tenantId,
      action: "file.read",
      targetType: "file",
      targetId: fileId,
      metadata: { purpose: file.purpose, bytes: file.bytes },
    },
    ctx,
    tx,
  );
  return { filename: file.filename, content: content.toString("utf8") };
}
