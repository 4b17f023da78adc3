import type { Tx } from "@aiaas/db";
import type { ChangeContext } from "../actor.ts";
import { revokeApiKey } from "./revoke-api-key.ts";

/**
 * Revokes the playground keys made for one console session (it is ending:
 * signed out), each audited in its tenant. Returns their hashes, for the
 * caller to tell the gateways once this commits (invalidateAuthCache).
 */
export async function revokeSessionKeys(input: { sessionId: string; userId: string }, ctx: ChangeContext, tx: Tx) {
  const keys = await tx.apiKey.findMany({
    where: { sessionId: input.sessionId, createdById: input.userId, revokedAt: null },
    select: { id: true, tenantId: true },
  });
  const revoked = [];
  for (const key of keys) {
    revoked.push(await revokeApiKey({ tenantId: key.tenantId, keyId: key.id, revokedById: input.userId }, ctx, tx));
  }
  return revoked.map((key) => key.keyHash);
}
