import { z } from "zod";
import type { Tx } from "@aiaas/db";
import type { ChangeContext } from "../actor.ts";
import { appendAuditEvent } from "../audit/append-audit-event.ts";
import { DomainError } from "../errors.ts";
import { newId } from "../ids.ts";
import { tenantLimits } from "../quota/limits.ts";
import { assertKeyWithinTenant } from "../quota/set-limits.ts";
import { generateApiKey, keyEnvironments } from "./api-key-format.ts";
import { hashApiKey } from "./api-key-hash.ts";
import { apiKeyScopes } from "./api-key-scopes.ts";

export const createApiKeyInput = z.object({
  tenantId: z.string().min(1),
  name: z.string().trim().min(1, "name is required").max(100, "name must be at most 100 characters"),
  environment: z.enum(keyEnvironments).default("live"),
  scopes: z.array(z.enum(apiKeyScopes)).default([]),
  models: z.array(z.string().trim().min(1)).default([]),
  expiresAt: z.date().nullish(),
  createdById: z.string().nullish(),
  /** The console session a playground key is made for; such keys are not listed with the others. */
  sessionId: z.string().min(1).nullish(),
  /** Per-key limits, stored now; admission enforces them (quotas). Omitted = the tenant's. */
  limits: z
    .object({
      rpm: z.number().int().positive().nullish(),
      tpm: z.number().int().positive().nullish(),
      rpd: z.number().int().positive().nullish(),
      concurrent: z.number().int().positive().nullish(),
      budgetMicros: z.bigint().positive().nullish(),
      budgetPeriod: z.enum(["day", "month"]).nullish(),
    })
    .refine(
      (limits) => (limits.budgetMicros == null) === (limits.budgetPeriod == null),
      "a budget needs both an amount and a period",
    )
    .default({}),
});
export type CreateApiKeyInput = z.input<typeof createApiKeyInput>;

export interface KeyContext extends ChangeContext {
  /** Server-side secret of the key hashes (API_KEY_PEPPER). */
  pepper: string;
}

/**
 * Creates a key and returns its secret, the only time it exists in clear:
 * what is stored is its keyed hash, display prefix and last 4 characters.
 */
export async function createApiKey(rawInput: CreateApiKeyInput, ctx: KeyContext, tx: Tx) {
  const input = createApiKeyInput.parse(rawInput);
  if (input.expiresAt && input.expiresAt.getTime() <= Date.now()) {
    throw new DomainError("invalid_input", "expiry must be in the future");
  }
  const tenant = await tx.tenant.findUnique({
    where: { id: input.tenantId },
    select: { plan: true, quotaOverride: true },
  });
  if (!tenant) throw new DomainError("not_found", "tenant not found");
  const limits = {
    limitRpm: input.limits.rpm ?? null,
    limitTpm: input.limits.tpm ?? null,
    limitRpd: input.limits.rpd ?? null,
    limitConcurrent: input.limits.concurrent ?? null,
    limitBudgetMicros: input.limits.budgetMicros ?? null,
    limitBudgetPeriod: input.limits.budgetPeriod ?? null,
  };
  assertKeyWithinTenant(limits, tenantLimits(tenant.plan, tenant.quotaOverride));

  const key = generateApiKey(input.environment);
  const apiKey = await tx.apiKey.create({
    data: {
      id: newId("apiKey"),
      tenantId: input.tenantId,
      name: input.name,
      keyHash: hashApiKey(key.secret, ctx.pepper),
      prefix: key.displayPrefix,
      last4: key.last4,
      environment: input.environment,
      scopes: input.scopes,
      models: input.models,
      expiresAt: input.expiresAt ?? null,
      createdById: input.createdById ?? null,
      sessionId: input.sessionId ?? null,
      ...limits,
    },
  });
  await appendAuditEvent(
    {
      tenantId: input.tenantId,
      action: "api_key.create",
      targetType: "api_key",
      targetId: apiKey.id,
      metadata: {
        name: input.name,
        prefix: key.displayPrefix,
        scopes: input.scopes,
        models: input.models,
        limits: { ...input.limits, budgetMicros: input.limits.budgetMicros?.toString() ?? null },
        ...(input.sessionId ? { playground: true } : {}),
      },
    },
    ctx,
    tx,
  );
  return { apiKey, secret: key.secret };
}
