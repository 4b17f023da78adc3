import { z } from "zod";
import type { Tx } from "@aiaas/db";
import type { ChangeContext } from "../actor.ts";
import { appendAuditEvent } from "../audit/append-audit-event.ts";
import { DomainError, notFound } from "../errors.ts";

export const revokeApiKeyInput = z.object({
  tenantId: z.string().min(1),
  keyId: z.string().min(1, "key id is required"),
  revokedById: z.string().nullish(),
});
export type RevokeApiKeyInput = z.input<typeof revokeApiKeyInput>;

export async function revokeApiKey(rawInput: RevokeApiKeyInput, ctx: ChangeContext, tx: Tx) {
  const input = revokeApiKeyInput.parse(rawInput);
  const key = await tx.apiKey.findFirst({ where: { id: input.keyId, tenantId: input.tenantId } });
  if (!key) throw notFound(`API key "${input.keyId}"`);
  if (key.revokedAt) throw new DomainError("conflict", `API key "${key.id}" is already revoked`);
  const revoked = await tx.apiKey.update({
    where: { id: key.id, tenantId: input.tenantId },
    data: { revokedAt: new Date(), revokedById: input.revokedById ?? null },
    // Callers invalidate the gateways' caches by hash once this commits.
    omit: { keyHash: false },
  });
  await appendAuditEvent(
    { tenantId: input.tenantId, action: "api_key.revoke", targetType: "api_key", targetId: key.id },
    ctx,
    tx,
  );
  return revoked;
}
