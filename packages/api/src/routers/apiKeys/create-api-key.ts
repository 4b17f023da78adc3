import { z } from "zod";
import { apiKeyScopes, createApiKey } from "@aiaas/core/server";
import { scopedProcedure } from "../../trpc.ts";

export const createApiKeyInput = z.object({
  name: z.string().trim().min(1, "Name the key after what uses it.").max(100, "At most 100 characters."),
  environment: z.enum(["live", "test"]).default("live"),
  scopes: z.array(z.enum(apiKeyScopes)).default([]),
  expiresInDays: z.number().int().min(1).max(3650).nullable().default(null),
  /** Model slugs the key may use; empty = every model the organisation may use. */
  models: z.array(z.string().trim().min(1)).max(100).default([]),
  limits: z
    .object({
      rpm: z.number().int().positive("Requests per minute must be a positive whole number.").nullish(),
      tpm: z.number().int().positive("Tokens per minute must be a positive whole number.").nullish(),
      rpd: z.number().int().positive("Requests per day must be a positive whole number.").nullish(),
      concurrent: z.number().int().positive("Concurrent requests must be a positive whole number.").nullish(),
      /** Spend cap in US dollars per period. */
      budgetUsd: z.number().positive("The budget must be more than 0.").max(1_000_000_000).nullish(),
      budgetPeriod: z.enum(["day", "month"]).nullish(),
    })
    .default({}),
});

/** Creates a key; the secret is in this response and nowhere else, ever. */
export const create = scopedProcedure("keys:create")
  .input(createApiKeyInput)
  .mutation(async ({ ctx, input }) => {
    const expiresAt = input.expiresInDays ? new Date(Date.now() + input.expiresInDays * 86_400_000) : null;
    const { apiKey, secret } = await ctx.db.$transaction((tx) =>
      createApiKey(
        {
          tenantId: ctx.tenant.id,
          name: input.name,
          environment: input.environment,
          scopes: input.scopes,
          models: input.models,
          expiresAt,
          createdById: ctx.session.userId,
          limits: {
            rpm: input.limits.rpm,
            tpm: input.limits.tpm,
            rpd: input.limits.rpd,
            concurrent: input.limits.concurrent,
            budgetMicros: input.limits.budgetUsd ? BigInt(Math.round(input.limits.budgetUsd * 1_000_000)) : null,
            budgetPeriod: input.limits.budgetUsd ? (input.limits.budgetPeriod ?? "month") : null,
          },
        },
        { ...ctx.change, pepper: ctx.pepper },
        tx,
      ),
    );
    return { id: apiKey.id, name: apiKey.name, display: `${apiKey.prefix}…${apiKey.last4}`, secret };
  });
