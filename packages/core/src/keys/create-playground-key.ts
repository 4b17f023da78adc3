import type { Tx } from "@aiaas/db";
import { createApiKey, type KeyContext } from "./create-api-key.ts";

/** How long a playground key works: long enough for a session at the console, short if it leaks. */
export const PLAYGROUND_KEY_TTL_MS = 3_600_000;
export const PLAYGROUND_KEY_NAME = "Playground";

/**
 * A short-lived key for the console playground, bound to one console session
 * (`sessionId`), so the keys page does not list it. The browser keeps the
 * secret in its session storage and reuses it until it expires; the secret,
 * as for every key, is returned here and never again. Audited like any key.
 */
export async function createPlaygroundKey(
  input: { tenantId: string; sessionId: string; userId: string; now?: Date },
  ctx: KeyContext,
  tx: Tx,
) {
  const now = input.now ?? new Date();
  const { apiKey, secret } = await createApiKey(
    {
      tenantId: input.tenantId,
      name: PLAYGROUND_KEY_NAME,
      environment: "live",
      expiresAt: new Date(now.getTime() + PLAYGROUND_KEY_TTL_MS),
      createdById: input.userId,
      sessionId: input.sessionId,
    },
    ctx,
    tx,
  );
  return { apiKey, secret, expiresAt: apiKey.expiresAt ?? new Date(now.getTime() + PLAYGROUND_KEY_TTL_MS) };
}
