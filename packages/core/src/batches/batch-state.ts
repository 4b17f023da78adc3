import { randomBytes } from "node:crypto";
import type { Db, DbOrTx } from "@aiaas/db";
import type { TenantKeyring } from "../crypto/tenant-keyring.ts";
import { DomainError, notFound } from "../errors.ts";
import type { BatchEndpoint, BatchInputError } from "./batch-input.ts";
import { storeFile } from "./stored-files.ts";

/** OpenAI's form of a batch id. */
export const newBatchId = () => `batch_${randomBytes(12).toString("hex")}`;

/** The only completion window there is, as at OpenAI. */
export const COMPLETION_WINDOW_MS = 24 * 3600 * 1000;
/** Output and error files are kept this long. */
export const BATCH_OUTPUT_TTL_MS = 30 * 24 * 3600 * 1000;

/** States a runner drives; the rest are final. */
export const activeBatchStatuses = ["validating", "in_progress", "finalizing", "cancelling"] as const;

export interface NewBatch {
  tenantId: string;
  apiKeyId: string;
  endpoint: BatchEndpoint;
  inputFileId: string;
  metadata?: Record<string, string> | null;
}

/** A batch over one of the tenant's `batch` files: validated and run by the gateways' runners. */
export async function createBatch(db: DbOrTx, input: NewBatch) {
  const file = await db.file.findFirst({
    where: { id: input.inputFileId, tenantId: input.tenantId },
    select: { purpose: true },
  });
  if (!file) throw notFound(`file '${input.inputFileId}'`);
  if (file.purpose !== "batch")
    throw new DomainError("invalid_input", `The file '${input.inputFileId}' was not uploaded with purpose 'batch'.`);
  return db.batch.create({
    data: {
      id: newBatchId(),
      tenantId: input.tenantId,
      apiKeyId: input.apiKeyId,
      endpoint: input.endpoint,
      inputFileId: input.inputFileId,
      completionWindow: "24h",
      status: "validating",
      metadata: input.metadata ?? undefined,
      expiresAt: new Date(Date.now() + COMPLETION_WINDOW_MS),
    },
  });
}

/** Asks a batch to stop: its runner lets the lines in flight finish, then writes what is done (`cancelled`). */
export async function cancelBatch(db: DbOrTx, tenantId: string, id: string) {
  const updated = await db.batch.updateMany({
    where: { id, tenantId, status: { in: ["validating", "in_progress"] } },
    data: { status: "cancelling", cancellingAt: new Date() },
  });
  const batch = await db.batch.findFirst({ where: { id, tenantId } });
  if (!batch) throw notFound(`batch '${id}'`);
  if (updated.count === 0 && batch.status !== "cancelling")
    throw new DomainError(
      "conflict",
      `The batch is ${batch.status}: only a validating or running batch can be cancelled.`,
    );
  return { batch, changed: updated.count === 1 };
}

export type BatchRow = NonNullable<Awaited<ReturnType<Db["batch"]["findFirst"]>>>;

/**
 * Takes the lease of one batch that needs a runner (none holds it, or its
 * holder's lease ran out: that gateway died), oldest first. One statement:
 * two gateways never drive one batch.
 */
export async function claimBatch(db: Db, owner: string, leaseMs: number): Promise<BatchRow | null> {
  const rows = await db.$queryRaw<{ id: string }[]>`
    UPDATE batches SET lease_owner = ${owner}, lease_until = now() + ${leaseMs} * interval '1 millisecond'
    WHERE id = (
      SELECT id FROM batches
      WHERE status IN ('validating', 'in_progress', 'finalizing', 'cancelling')
        AND (lease_until IS NULL OR lease_until < now())
      ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED
    )
    RETURNING id`;
  const id = rows[0]?.id;
  return id ? db.batch.findUnique({ where: { id } }) : null;
}

/** Extends a held lease; false when another runner has it now (this one must stop). */
export async function renewBatchLease(db: Db, id: string, owner: string, leaseMs: number): Promise<boolean> {
  const renewed = await db.$executeRaw`
    UPDATE batches SET lease_until = now() + ${leaseMs} * interval '1 millisecond'
    WHERE id = ${id} AND lease_owner = ${owner}`;
  return renewed === 1;
}

/** Lets go of a batch (a runner stopping): another gateway may take it at once. */
export async function releaseBatchLease(db: Db, id: string, owner: string) {
  await db.$executeRaw`UPDATE batches SET lease_until = NULL WHERE id = ${id} AND lease_owner = ${owner}`;
}

/** Validation passed: the batch runs its `total` lines. */
export async function startBatch(db: Db, id: string, total: number) {
  await db.batch.updateMany({
    where: { id, status: "validating" },
    data: { status: "in_progress", total, inProgressAt: new Date() },
  });
}

/** Validation failed: nothing ran, the errors say why. */
export async function failBatch(db: Db, id: string, errors: BatchInputError[]) {
  await db.batch.updateMany({
    where: { id, status: { in: ["validating", "cancelling"] } },
    data: { status: "failed", failedAt: new Date(), errors: { object: "list", data: errors } as never },
  });
}

/**
 * Records one finished line and counts it, in one statement: a line written
 * already (a runner that died after writing it, then resumed) is neither
 * written nor counted again.
 */
export async function recordBatchLine(
  db: Db,
  line: {
    batchId: string;
    tenantId: string;
    line: number;
    customId: string;
    requestId: string | null;
    statusCode: number;
    result: Uint8Array;
  },
) {
  const failed = line.statusCode === 200 ? 0 : 1;
  await db.$executeRaw`
    WITH written AS (
      INSERT INTO batch_lines (batch_id, line, tenant_id, custom_id, request_id, status_code, result)
      VALUES (${line.batchId}, ${line.line}, ${line.tenantId}, ${line.customId}, ${line.requestId}, ${line.statusCode}, ${line.result})
      ON CONFLICT (batch_id, line) DO NOTHING
      RETURNING 1
    )
    UPDATE batches SET
      completed = completed + (SELECT count(*) FROM written) * ${1 - failed},
      failed = failed + (SELECT count(*) FROM written) * ${failed}
    WHERE id = ${line.batchId}`;
}

/** The lines of a batch written so far (their indexes). */
export async function writtenLines(db: Db, batchId: string): Promise<Set<number>> {
  const rows = await db.batchLine.findMany({ where: { batchId }, select: { line: true } });
  return new Set(rows.map((row) => row.line));
}

export const batchLineContext = (batchId: string, line: number) => `batch:${batchId}:${line}`;

/**
 * The batch's output and error files from its written lines (in input
 * order), stored and named on the batch in one transaction with its final
 * status: a runner that dies half way leaves it `finalizing`, and the next
 * one writes them again from the start.
 */
export async function finalizeBatch(
  db: Db,
  keyring: TenantKeyring,
  batch: BatchRow,
  status: "completed" | "cancelled" | "expired",
) {
  await db.batch.updateMany({
    where: { id: batch.id, status: { in: ["in_progress", "cancelling", "finalizing"] } },
    data: { finalizingAt: new Date(), ...(status === "completed" && { status: "finalizing" }) },
  });
  const lines = await db.batchLine.findMany({ where: { batchId: batch.id }, orderBy: { line: "asc" } });
  const output: string[] = [];
  const errors: string[] = [];
  for (const line of lines) {
    const text = (await keyring.open(batch.tenantId, line.result, batchLineContext(batch.id, line.line))).toString(
      "utf8",
    );
    (line.statusCode === 200 ? output : errors).push(text);
  }
  const expiresAt = new Date(Date.now() + BATCH_OUTPUT_TTL_MS);
  const now = new Date();
  await db.$transaction(async (tx) => {
    const file = async (kind: string, texts: string[]) =>
      texts.length === 0
        ? null
        : (
            await storeFile(tx, keyring, {
              tenantId: batch.tenantId,
              purpose: "batch_output",
              filename: `${batch.id}_${kind}.jsonl`,
              content: Buffer.from(texts.map((text) => `${text}\n`).join(""), "utf8"),
              expiresAt,
            })
          ).id;
    const outputFileId = await file("output", output);
    const errorFileId = await file("error", errors);
    await tx.batch.update({
      where: { id: batch.id },
      data: {
        status,
        outputFileId,
        errorFileId,
        leaseUntil: null,
        ...(status === "completed" && { completedAt: now }),
        ...(status === "cancelled" && { cancelledAt: now }),
        ...(status === "expired" && { expiredAt: now }),
      },
    });
  });
}
