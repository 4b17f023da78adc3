import type { Tx } from "@aiaas/db";
import type { ChangeContext } from "../actor.ts";
import { appendAuditEvent } from "../audit/append-audit-event.ts";
import { DecryptionError } from "../crypto/envelope.ts";
import type { TenantKeyring } from "../crypto/tenant-keyring.ts";
import { DomainError, notFound } from "../errors.ts";
import { storedPartsState } from "./stored-parts-state.ts";
import { openStoredPart, type StoredPart } from "./stored-request.ts";

export interface StoredReadContext extends ChangeContext {
  keyring: TenantKeyring;
}

/**
 * Decrypts a request's stored prompt and response for a person allowed to
 * read them (`prompts:read`), only while retention keeps them, and records
 * the read in the tenant's audit log in the same transaction: if the audit
 * event cannot be written, nothing is revealed.
 */
export async function readStoredRequest(
  { tenantId, requestId, now = new Date() }: { tenantId: string; requestId: string; now?: Date },
  ctx: StoredReadContext,
  tx: Tx,
) {
  // One query at a time: a transaction is one connection (relations in a select would load concurrently on it).
  const row = await tx.request.findFirst({
    where: { id: requestId, tenantId },
    select: {
      createdAt: true,
      endpoint: true,
      modelId: true,
      purgeAfter: true,
      promptCiphertext: true,
      responseCiphertext: true,
    },
  });
  if (!row) throw notFound(`request "${requestId}"`);
  const tenant = await tx.tenant.findUniqueOrThrow({ where: { id: tenantId }, select: { retention: true } });
  const model = await tx.model.findUniqueOrThrow({ where: { id: row.modelId }, select: { slug: true } });
  const storage = storedPartsState(
    {
      createdAt: row.createdAt,
      purgeAfter: row.purgeAfter,
      hasPrompt: row.promptCiphertext !== null,
      hasResponse: row.responseCiphertext !== null,
    },
    tenant.retention,
    now,
  );
  if (storage.state !== "stored") throw new DomainError("not_found", storage.note);

  const openPart = async (part: StoredPart, sealed: Uint8Array | null) => {
    if (!sealed) return null;
    try {
      return await openStoredPart(ctx.keyring, tenantId, requestId, part, sealed);
    } catch (error) {
      if (error instanceof DecryptionError) {
        throw new DomainError("not_found", `The stored ${part} can no longer be decrypted (its data key is gone).`);
      }
      throw error;
    }
  };
  const prompt = await openPart("prompt", row.promptCiphertext);
  const response = await openPart("response", row.responseCiphertext);
  const parts = [...(row.promptCiphertext ? ["prompt"] : []), ...(row.responseCiphertext ? ["response"] : [])];
  await appendAuditEvent(
    {
      tenantId,
      action: "request.prompt.read",
      targetType: "request",
      targetId: requestId,
      metadata: { parts, model: model.slug, endpoint: row.endpoint },
    },
    ctx,
    tx,
  );
  return { requestId, prompt, response, until: storage.until };
}
