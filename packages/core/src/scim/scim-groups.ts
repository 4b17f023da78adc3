import type { ScimResource } from "scim-patch";
import { z } from "zod";
import type { Prisma, Tx } from "@aiaas/db";
import { appendAuditEvent } from "../audit/append-audit-event.ts";
import { newId } from "../ids.ts";
import { syncDirectoryUsers } from "./directory-sync.ts";
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

type Group = Awaited<ReturnType<typeof findGroup>>;

/**
 * The group's members (`group`, as read in this transaction) set to these
 * SCIM user ids (each one of this tenant's): those kept, added and removed.
 */
async function setMembers(tx: Tx, scope: ScimScope, group: Pick<Group, "id" | "members">, memberIds: string[]) {
  const groupId = group.id;
  const wanted = new Set(memberIds);
  const found = await tx.directoryUser.count({ where: { tenantId: scope.tenantId, id: { in: [...wanted] } } });
  if (found !== wanted.size) throw new ScimError(400, "A member is not a User here.", "invalidValue");
  const had = new Set(group.members.map(({ user }) => user.id));
  const added = [...wanted].filter((id) => !had.has(id));
  const removed = [...had].filter((id) => !wanted.has(id));
  if (removed.length > 0) {
    await tx.directoryGroupMember.deleteMany({ where: { groupId, directoryUserId: { in: removed } } });
  }
  await tx.directoryGroupMember.createMany({
    data: added.map((directoryUserId) => ({ groupId, directoryUserId, tenantId: scope.tenantId })),
  });
  return { kept: [...had].filter((id) => wanted.has(id)), added, removed };
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
  const { added } = await setMembers(
    tx,
    scope,
    { id: group.id, members: [] },
    (fields.members ?? []).map((member) => member.value),
  );
  await audit(tx, scope, "scim.group_create", group.id, { displayName: group.displayName, members: added.length });
  const revoked = await syncDirectoryUsers(scope.tenantId, added, scope.ctx, tx);
  return { resource: scimGroup(await findGroup(tx, scope, group.id), scope.base), revoked };
}

/** The group (`before`, as read in this transaction) replaced by `fields`. */
async function update(tx: Tx, scope: ScimScope, before: Group, fields: z.infer<typeof scimGroupBody>) {
  await refuseTakenName(tx, scope, fields.displayName, before.id);
  await tx.directoryGroup.update({
    where: { id: before.id },
    data: { displayName: fields.displayName, externalId: fields.externalId ?? null },
  });
  // A PUT without members, or a PATCH that removed the last one: no members.
  const members = (fields.members ?? []).map((member) => member.value);
  const { kept, added, removed } = await setMembers(tx, scope, before, members);
  await audit(tx, scope, "scim.group_update", before.id, { displayName: fields.displayName, members: members.length });
  // Roles follow group names: a rename may move everyone's; otherwise only those who came or went.
  const moved = before.displayName === fields.displayName ? [...added, ...removed] : [...kept, ...added, ...removed];
  const revoked = await syncDirectoryUsers(scope.tenantId, moved, scope.ctx, tx);
  return { resource: scimGroup(await findGroup(tx, scope, before.id), scope.base), revoked };
}

export async function replaceScimGroup(tx: Tx, scope: ScimScope, id: string, body: unknown) {
  return update(tx, scope, await findGroup(tx, scope, id), parseGroup(body));
}

/** PATCH /Groups/:id: members added or removed (`members[value eq "…"]`), the name replaced. */
export async function patchScimGroup(tx: Tx, scope: ScimScope, id: string, body: unknown) {
  const group = await findGroup(tx, scope, id);
  const patched = applyPatch(scimGroup(group, scope.base) as unknown as ScimResource, body);
  return update(tx, scope, group, parseGroup(patched));
}

export async function deleteScimGroup(tx: Tx, scope: ScimScope, id: string) {
  const group = await findGroup(tx, scope, id);
  await tx.directoryGroup.delete({ where: { id: group.id } });
  await audit(tx, scope, "scim.group_delete", group.id, { displayName: group.displayName });
  return syncDirectoryUsers(
    scope.tenantId,
    group.members.map(({ user }) => user.id),
    scope.ctx,
    tx,
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
