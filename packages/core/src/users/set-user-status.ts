import type { Tx } from "@aiaas/db";
import type { ChangeContext } from "../actor.ts";
import { appendAuditEvent } from "../audit/append-audit-event.ts";
import { DomainError, notFound } from "../errors.ts";
import { revokePlaygroundKeysOf } from "../keys/revoke-playground-keys.ts";

/**
 * Suspends a person (an operator's decision: abuse, a compromised account)
 * or lets them back. Suspending ends every session they have and revokes
 * their playground keys, and they cannot sign in until resumed; the tenants
 * they belong to, and those tenants' own keys, carry on. Audited on the
 * platform chain. Returns the revoked keys' hashes, for the caller to tell
 * the gateways once this commits.
 */
export async function setUserStatus(
  input: { userId: string; status: "active" | "suspended"; reason?: string | undefined },
  ctx: ChangeContext,
  tx: Tx,
) {
  const user = await tx.user.findUnique({ where: { id: input.userId }, select: { id: true, email: true, role: true } });
  if (!user) throw notFound("user");
  if (user.role === "operator") throw new DomainError("forbidden", "Operators cannot be suspended here.");
  const suspended = input.status === "suspended";
  await tx.user.update({
    where: { id: user.id },
    data: { banned: suspended, banReason: suspended ? (input.reason ?? null) : null },
  });
  const revokedKeyHashes = suspended ? await revokePlaygroundKeysOf({ userId: user.id }, tx) : [];
  if (suspended) await tx.session.deleteMany({ where: { userId: user.id } });
  await appendAuditEvent(
    {
      tenantId: null,
      action: suspended ? "user.suspend" : "user.resume",
      targetType: "user",
      targetId: user.id,
      metadata: {
        email: user.email,
        ...(input.reason && { reason: input.reason }),
        playgroundKeysRevoked: revokedKeyHashes.length,
      },
    },
    ctx,
    tx,
  );
  return { revokedKeyHashes };
}
