import { z } from "zod";
import type { Tx } from "@aiaas/db";
import { appendAuditEvent } from "../audit/append-audit-event.ts";
import { DomainError, notFound } from "../errors.ts";
import { newId } from "../ids.ts";
import { generateApiKey } from "./api-key-format.ts";
import { hashApiKey } from "./api-key-hash.ts";
import type { KeyContext } from "./create-api-key.ts";

export const rollApiKeyInput = z.object({
  tenantId: z.string().min(1),
  keyId: z.string().min(1),
  /** How long the old secret keeps working: 0 (at once) to 24 hours. */
  graceHours: z.number().min(0, "The grace period is 0 to 24 hours.").max(24, "The grace period is 0 to 24 hours."),
  rolledById: z.string().nullish(),
});
export type RollApiKeyInput = z.input<typeof rollApiKeyInput>;

/**
 * Replaces a key's secret: a new key with the same name, scopes and limits,
 * and the old one valid until the grace period ends. Returns the new secret
 * (once) and the old key's hash, for the caller to invalidate after commit.
 */
export async function rollApiKey(rawInput: RollApiKeyInput, ctx: KeyContext, tx: Tx) {
  const input = rollApiKeyInput.parse(rawInput);
  const old = await tx.apiKey.findFirst({
    where: { id: input.keyId, tenantId: input.tenantId },
    omit: { keyHash: false },
  });
  if (!old) throw notFound(`API key "${input.keyId}"`);
  const now = Date.now();
  if (
    old.revokedAt ||
    (old.graceEndsAt && old.graceEndsAt.getTime() <= now) ||
    (old.expiresAt && old.expiresAt.getTime() <= now)
  ) {
    throw new DomainError("conflict", "Only an active key can be rolled.");
  }
  if (old.graceEndsAt) throw new DomainError("conflict", "This key has already been rolled.");

  const key = generateApiKey(old.environment);
  // The replacement keeps what the key is for and may do.
  const kept = {
    tenantId: old.tenantId,
    name: old.name,
    environment: old.environment,
    scopes: old.scopes,
    models: old.models,
    expiresAt: old.expiresAt,
    limitRpm: old.limitRpm,
    limitTpm: old.limitTpm,
    limitRpd: old.limitRpd,
    limitConcurrent: old.limitConcurrent,
    limitBudgetMicros: old.limitBudgetMicros,
    limitBudgetPeriod: old.limitBudgetPeriod,
  };
  const graceEndsAt = new Date(now + input.graceHours * 3_600_000);
  await tx.apiKey.update({ where: { id: old.id, tenantId: input.tenantId }, data: { graceEndsAt } });
  const replacement = await tx.apiKey.create({
    data: {
      ...kept,
      id: newId("apiKey"),
      keyHash: hashApiKey(key.secret, ctx.pepper),
      prefix: key.displayPrefix,
      last4: key.last4,
      rolledFromId: old.id,
      createdById: input.rolledById ?? null,
    },
  });
  await appendAuditEvent(
    {
      tenantId: input.tenantId,
      action: "api_key.roll",
      targetType: "api_key",
      targetId: old.id,
      metadata: {
        replacementId: replacement.id,
        graceHours: input.graceHours,
        oldKeyValidUntil: graceEndsAt.toISOString(),
      },
    },
    ctx,
    tx,
  );
  return { apiKey: replacement, secret: key.secret, oldKeyHash: old.keyHash, graceEndsAt };
}
