import type { Tx } from "@aiaas/db";
import type { ChangeContext } from "../actor.ts";
import { syncMembership } from "../sso/member-role-sync.ts";
import { mappingOf } from "../sso/provision-sso-member.ts";
import { roleForGroups, type RoleMapping } from "../sso/role-mapping.ts";

/** Without an SSO connection (and so no mapping), people provisioned over SCIM are viewers. */
const WITHOUT_CONNECTION: RoleMapping = { groups: {}, defaultRole: "viewer" };

/**
 * Makes a provisioned person's membership follow the directory: the role
 * their groups map to while active, none once deactivated or deleted.
 * Losing it ends every console session of theirs at once and revokes their
 * playground keys here (as any member's removal does). Returns the revoked keys' hashes, for
 * the caller to tell the gateways once this commits.
 */
export async function syncDirectoryUser(
  input: { tenantId: string; userId: string; email: string; active: boolean; groups: string[] },
  ctx: ChangeContext,
  tx: Tx,
): Promise<string[]> {
  const connection = await tx.ssoConnection.findUnique({ where: { tenantId: input.tenantId } });
  const role = input.active
    ? roleForGroups(input.groups, connection ? mappingOf(connection) : WITHOUT_CONNECTION)
    : null;
  const synced = await syncMembership({ ...input, role, via: "scim" }, ctx, tx);
  // The removal revoked their playground keys here (removeMember); a non-member has none.
  if (!synced.role) await tx.session.deleteMany({ where: { userId: input.userId } });
  return synced.revokedKeyHashes;
}

/** The group names of a provisioned person. */
export async function directoryGroupsOf(tx: Tx, directoryUserId: string) {
  const memberships = await tx.directoryGroupMember.findMany({
    where: { directoryUserId },
    select: { group: { select: { displayName: true } } },
  });
  return memberships.map((membership) => membership.group.displayName);
}
