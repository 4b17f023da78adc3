import type { TenantRole, Tx } from "@aiaas/db";
import type { ChangeContext } from "../actor.ts";
import { syncMembership } from "../sso/member-role-sync.ts";
import { mappingOf } from "../sso/provision-sso-member.ts";
import { roleForGroups, type RoleMapping } from "../sso/role-mapping.ts";

/** Without an SSO connection (and so no mapping), people provisioned over SCIM are viewers. */
const WITHOUT_CONNECTION: RoleMapping = { groups: {}, defaultRole: "viewer" };

async function directoryMapping(tx: Tx, tenantId: string) {
  const connection = await tx.ssoConnection.findUnique({ where: { tenantId } });
  return connection ? mappingOf(connection) : WITHOUT_CONNECTION;
}

type DirectoryPerson = { tenantId: string; userId: string; email: string; groups: string[] };

/**
 * Gives a provisioned person `role` (none: their membership ends). Losing it
 * ends every console session of theirs at once and revokes their playground
 * keys here (as any member's removal does; a non-member has none).
 */
async function follow(person: DirectoryPerson, role: TenantRole | null, ctx: ChangeContext, tx: Tx) {
  const synced = await syncMembership({ ...person, role, via: "scim" }, ctx, tx);
  if (!synced.role) await tx.session.deleteMany({ where: { userId: person.userId } });
  return synced.revokedKeyHashes;
}

/**
 * Makes a provisioned person's membership follow the directory: the role
 * their groups map to while active, none once deactivated or deleted (their
 * sessions end even where they were no member any more). Returns the revoked
 * keys' hashes, for the caller to tell the gateways once this commits.
 */
export async function syncDirectoryUser(
  input: DirectoryPerson & { active: boolean },
  ctx: ChangeContext,
  tx: Tx,
): Promise<string[]> {
  const role = input.active ? roleForGroups(input.groups, await directoryMapping(tx, input.tenantId)) : null;
  return follow(input, role, ctx, tx);
}

/**
 * Re-derives the roles of provisioned people whose groups changed: three
 * queries for all of them, then a change only for each whose role moves (a
 * group of thousands costs a handful of queries, not thousands). Returns the
 * revoked keys' hashes.
 */
export async function syncDirectoryUsers(
  tenantId: string,
  directoryUserIds: Iterable<string>,
  ctx: ChangeContext,
  tx: Tx,
): Promise<string[]> {
  const ids = [...new Set(directoryUserIds)];
  if (ids.length === 0) return [];
  const entries = await tx.directoryUser.findMany({
    where: { tenantId, id: { in: ids } },
    select: {
      userId: true,
      active: true,
      user: { select: { email: true } },
      groups: { select: { group: { select: { displayName: true } } } },
    },
  });
  const mapping = await directoryMapping(tx, tenantId);
  const memberships = await tx.membership.findMany({
    where: { tenantId, userId: { in: entries.map((entry) => entry.userId) } },
    select: { userId: true, role: true },
  });
  const roles = new Map(memberships.map((membership) => [membership.userId, membership.role]));
  const revoked: string[] = [];
  for (const entry of entries) {
    const groups = entry.groups.map((member) => member.group.displayName);
    const role = entry.active ? roleForGroups(groups, mapping) : null;
    if (role === (roles.get(entry.userId) ?? null)) continue;
    const person = { tenantId, userId: entry.userId, email: entry.user.email, groups };
    revoked.push(...(await follow(person, role, ctx, tx)));
  }
  return revoked;
}

/** The group names of a provisioned person. */
export async function directoryGroupsOf(tx: Tx, directoryUserId: string) {
  const memberships = await tx.directoryGroupMember.findMany({
    where: { directoryUserId },
    select: { group: { select: { displayName: true } } },
  });
  return memberships.map((membership) => membership.group.displayName);
}
