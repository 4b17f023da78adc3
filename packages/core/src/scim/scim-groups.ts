import type { ScimResource } from "scim-patch";
import { z } from "zod";
import type { Prisma, Tx } from "@aiaas/db";
import { appendAuditEvent } from "../audit/append-audit-event.ts";
import { newId } from "../ids.ts";
import { directoryGroupsOf, syncDirectoryUser } from "./directory-sync.ts";
import { applyPatch } from "./scim-patch-ops.ts";
import { ScimError } from "./scim-errors.ts";
import { scimGroup } from "./scim-resources.ts";
import type { ScimScope } from "./scim-users.ts";

const scimGroupBody = z
  .object({
    displayName: z.string().trim().min(1).max(200),
    externalId: z.string().max(300).nullish(),
    members: z.array(z.object({ value: z.string() }).passthrough()).nullish(),
  })
  .passthrough();

const withMembers = { members: { select: { user: { select: { id: true, userName: true } } } } } as const;

function parseGroup(body: unknown) {
  const parsed = scimGroupBody.safeParse(body);
  if (!parsed.success) {
    throw new ScimError(400, `Not a SCIM Group: ${parsed.error.issues[0]?.message ?? "invalid"}.`, "invalidValue");
  }
  return parsed.data;
}

/** A group's name is unique in a tenant (roles are mapped by it): a clash is the IdP's 409. */
async function refuseTakenName(tx: Tx, scope: ScimScope, displayName: string, self?: string) {
  const taken = await tx.directoryGroup.findFirst({
    where: { tenantId: scope.tenantId, displayName, ...(self && { id: { not: self } }) },
    select: { id: true },
  });
  if (taken) throw new ScimError(409, `A Group named ${displayName} exists.`, "uniqueness");
}

async function findGroup(tx: Tx, scope: ScimScope, id: string) {
  const group = await tx.directoryGroup.findFirst({ where: { id, tenantId: scope.tenantId }, include: withMembers });
  if (!group) throw new ScimError(404, `No Group ${id}.`);
  return group;
}

/** Re-derives the roles of these provisioned people (their groups changed): the revoked keys' hashes. */
async function resync(tx: Tx, scope: ScimScope, directoryUserIds: Iterable<string>) {
  const revoked: string[] = [];
  for (const id of new Set(directoryUserIds)) {
    const entry = await tx.directoryUser.findFirst({
      where: { id, tenantId: scope.tenantId },
      include: { user: { select: { email: true } } },
    });
    if (!entry) continue;
    const groups = await directoryGroupsOf(tx, entry.id);
    const input = {
      tenantId: scope.tenantId,
      userId: entry.userId,
      email: entry.user.email,
      active: entry.active,
      groups,
    };
    revoked.push(...(await syncDirectoryUser(input, scope.ctx, tx)));
  }
  return revoked;
}

/** The group's members set to these SCIM user ids (each one of this tenant's). */
async function setMembers(tx: Tx, scope: ScimScope, groupId: string, memberIds: string[]) {
  const found = await tx.directoryUser.findMany({
    where: { tenantId: scope.tenantId, id: { in: memberIds } },
    select: { id: true },
  });
  if (found.length !== new Set(memberIds).size)
    throw new ScimError(400, "A member is not a User here.", "invalidValue");
  const before = await tx.directoryGroupMember.findMany({ where: { groupId }, select: { directoryUserId: true } });
  await tx.directoryGroupMember.deleteMany({ where: { groupId } });
  await tx.directoryGroupMember.createMany({
    data: found.map(({ id }) => ({ groupId, directoryUserId: id, tenantId: scope.tenantId })),
  });
  return [...before.map((member) => member.directoryUserId), ...found.map(({ id }) => id)];
}

async function audit(tx: Tx, scope: ScimScope, action: string, id: string, metadata: Record<string, unknown>) {
  await appendAuditEvent(
    { tenantId: scope.tenantId, action, targetType: "directory_group", targetId: id, metadata },
    scope.ctx,
    tx,
  );
}

export async function createScimGroup(tx: Tx, scope: ScimScope, body: unknown) {
  const fields = parseGroup(body);
  await refuseTakenName(tx, scope, fields.displayName);
  const group = await tx.directoryGroup.create({
    data: {
      id: newId("directoryGroup"),
      tenantId: scope.tenantId,
      displayName: fields.displayName,
      externalId: fields.externalId ?? null,
    },
  });
  const touched = await setMembers(
    tx,
    scope,
    group.id,
    (fields.members ?? []).map((member) => member.value),
  );
  await audit(tx, scope, "scim.group_create", group.id, { displayName: group.displayName, members: touched.length });
  const revoked = await resync(tx, scope, touched);
  return { resource: scimGroup(await findGroup(tx, scope, group.id), scope.base), revoked };
}

async function update(tx: Tx, scope: ScimScope, id: string, fields: z.infer<typeof scimGroupBody>) {
  const before = await findGroup(tx, scope, id);
  await refuseTakenName(tx, scope, fields.displayName, before.id);
  await tx.directoryGroup.update({
    where: { id: before.id },
    data: { displayName: fields.displayName, externalId: fields.externalId ?? null },
  });
  // A PUT without members, or a PATCH that removed the last one: no members.
  const members = (fields.members ?? []).map((member) => member.value);
  const touched = await setMembers(tx, scope, before.id, members);
  await audit(tx, scope, "scim.group_update", before.id, { displayName: fields.displayName, members: members.length });
  const revoked = await resync(tx, scope, touched);
  return { resource: scimGroup(await findGroup(tx, scope, before.id), scope.base), revoked };
}

export async function replaceScimGroup(tx: Tx, scope: ScimScope, id: string, body: unknown) {
  return update(tx, scope, id, parseGroup(body));
}

/** PATCH /Groups/:id: members added or removed (`members[value eq "…"]`), the name replaced. */
export async function patchScimGroup(tx: Tx, scope: ScimScope, id: string, body: unknown) {
  const current = scimGroup(await findGroup(tx, scope, id), scope.base);
  const patched = applyPatch(current as unknown as ScimResource, body);
  return update(tx, scope, id, parseGroup(patched));
}

export async function deleteScimGroup(tx: Tx, scope: ScimScope, id: string) {
  const group = await findGroup(tx, scope, id);
  await tx.directoryGroup.delete({ where: { id: group.id } });
  await audit(tx, scope, "scim.group_delete", group.id, { displayName: group.displayName });
  return resync(
    tx,
    scope,
    group.members.map(({ user }) => user.id),
  );
}

export async function getScimGroup(tx: Tx, scope: ScimScope, id: string) {
  return scimGroup(await findGroup(tx, scope, id), scope.base);
}

export async function listScimGroups(
  tx: Tx,
  scope: ScimScope,
  filter: { attribute: string; value: string } | null,
  page: { skip: number; take: number },
) {
  const where: Prisma.DirectoryGroupWhereInput = { tenantId: scope.tenantId };
  if (filter?.attribute === "displayname") where.displayName = filter.value;
  else if (filter?.attribute === "externalid") where.externalId = filter.value;
  else if (filter) throw new ScimError(400, "Groups are filtered by displayName or externalId (eq).", "invalidFilter");
  const [groups, total] = await Promise.all([
    tx.directoryGroup.findMany({ where, include: withMembers, orderBy: { createdAt: "asc" }, ...page }),
    tx.directoryGroup.count({ where }),
  ]);
  return { resources: groups.map((group) => scimGroup(group, scope.base)), total };
}
