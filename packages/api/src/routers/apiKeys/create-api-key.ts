import { z } from "zod";
import { apiKeyScopes } from "@aiaas/core";
import { createApiKey } from "@aiaas/core/keys";
import { recentlyAuthenticated, scopedProcedure, verifiedEmail } from "../../trpc.ts";
import { limitsInput, toLimitsChange } from "../quotas/limits-input.ts";

export const createApiKeyInput = z.object({
  name: z.string().trim().min(1, "Name the key after what uses it.").max(100, "At most 100 characters."),
  environment: z.enum(["live", "test"]).default("live"),
  scopes: z.array(z.enum(apiKeyScopes)).default([]),
  expiresInDays: z.number().int().min(1).max(3650).nullable().default(null),
  /** Model slugs the key may use; empty = every model the organisation may use. */
  models: z.array(z.string().trim().min(1)).max(100).default([]),
  limits: limitsInput.default({}),
});

/** Creates a key; the secret is in this response and nowhere else, ever. */
export const create = scopedProcedure("keys:create")
  .use(verifiedEmail)
  .use(recentlyAuthenticated)
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
          limits: toLimitsChange(input.limits),
        },
        { ...ctx.change, pepper: ctx.pepper },
        tx,
      ),
    );
    return { id: apiKey.id, name: apiKey.name, display: `${apiKey.prefix}…${apiKey.last4}`, secret };
  });
