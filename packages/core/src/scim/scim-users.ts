import type { ScimResource } from "scim-patch";
import { z } from "zod";
import type { Prisma, Tx } from "@aiaas/db";
import type { ChangeContext } from "../actor.ts";
import { appendAuditEvent } from "../audit/append-audit-event.ts";
import { newId } from "../ids.ts";
import { SsoRefusal } from "../sso/sso-refusal.ts";
import { personForTenant } from "../sso/tenant-person.ts";
import { directoryGroupsOf, syncDirectoryUser } from "./directory-sync.ts";
import { applyPatch } from "./scim-patch-ops.ts";
import { ScimError } from "./scim-errors.ts";
import { scimUser } from "./scim-resources.ts";

const booleanish = z.union([
  z.boolean(),
  z.enum(["True", "False", "true", "false"]).transform((v) => v.toLowerCase() === "true"),
]);

/** A SCIM User as IdPs send it (Okta, Entra ID, Google, Keycloak): what we keep of it. */
export const scimUserBody = z
  .object({
    userName: z.string().trim().min(3).max(320),
    externalId: z.string().max(300).nullish(),
    displayName: z.string().max(200).nullish(),
    name: z
      .object({ formatted: z.string().nullish(), givenName: z.string().nullish(), familyName: z.string().nullish() })
      .partial()
      .nullish(),
    emails: z.array(z.object({ value: z.string(), primary: booleanish.optional() })).nullish(),
    active: booleanish.default(true),
  })
  .passthrough();
type ScimUserBody = z.infer<typeof scimUserBody>;

const withUser = { user: { select: { email: true } }, groups: { select: { group: true } } } as const;

function fieldsOf(body: ScimUserBody) {
  const email = body.emails?.find((entry) => entry.primary)?.value ?? body.emails?.[0]?.value ?? body.userName;
  const named = [body.name?.givenName, body.name?.familyName].filter(Boolean).join(" ");
  const displayName = body.displayName ?? body.name?.formatted ?? (named || null);
  return { email, displayName, externalId: body.externalId ?? null, userName: body.userName, active: body.active };
}

function parseUser(body: unknown): ScimUserBody {
  const parsed = scimUserBody.safeParse(body);
  if (!parsed.success) {
    throw new ScimError(400, `Not a SCIM User: ${parsed.error.issues[0]?.message ?? "invalid"}.`, "invalidValue");
  }
  return parsed.data;
}

export interface ScimScope {
  tenantId: string;
  /** Where resources are found: …/api/scim/v2. */
  base: string;
  ctx: ChangeContext;
}

/** userName is unique in a tenant (RFC 7643 §4.1.1): a clash is the IdP's 409, not our 500. */
async function refuseTakenUserName(tx: Tx, scope: ScimScope, userName: string, self?: string) {
  const taken = await tx.directoryUser.findFirst({
    where: { tenantId: scope.tenantId, userName, ...(self && { id: { not: self } }) },
    select: { id: true },
  });
  if (taken) throw new ScimError(409, `A User with userName ${userName} exists.`, "uniqueness");
}

async function findEntry(tx: Tx, scope: ScimScope, id: string) {
  const entry = await tx.directoryUser.findFirst({ where: { id, tenantId: scope.tenantId }, include: withUser });
  if (!entry) throw new ScimError(404, `No User ${id}.`);
  return entry;
}

async function audit(tx: Tx, scope: ScimScope, action: string, id: string, metadata: Record<string, unknown>) {
  await appendAuditEvent(
    { tenantId: scope.tenantId, action, targetType: "directory_user", targetId: id, metadata },
    scope.ctx,
    tx,
  );
}

async function sync(tx: Tx, scope: ScimScope, entry: { id: string; userId: string; active: boolean }, email: string) {
  const groups = await directoryGroupsOf(tx, entry.id);
  return syncDirectoryUser(
    { tenantId: scope.tenantId, userId: entry.userId, email, active: entry.active, groups },
    scope.ctx,
    tx,
  );
}

/** POST /Users: the person is provisioned (their account made if new) and their membership follows. */
export async function createScimUser(tx: Tx, scope: ScimScope, body: unknown) {
  const fields = fieldsOf(parseUser(body));
  await refuseTakenUserName(tx, scope, fields.userName);
  let person;
  try {
    person = await personForTenant(tx, {
      tenantId: scope.tenantId,
      email: fields.email,
      name: fields.displayName ?? "",
      create: true,
    });
  } catch (error) {
    if (error instanceof SsoRefusal) throw new ScimError(400, error.message, "invalidValue");
    throw error;
  }
  if (!person) throw new ScimError(400, "The person could not be provisioned.", "invalidValue");
  if (await tx.directoryUser.findFirst({ where: { tenantId: scope.tenantId, userId: person.id } })) {
    throw new ScimError(409, `${person.email} is provisioned already.`, "uniqueness");
  }
  const entry = await tx.directoryUser.create({
    data: {
      id: newId("directoryUser"),
      tenantId: scope.tenantId,
      userId: person.id,
      userName: fields.userName,
      externalId: fields.externalId,
      displayName: fields.displayName,
      active: fields.active,
    },
    include: withUser,
  });
  await audit(tx, scope, "scim.user_create", entry.id, { email: person.email, active: entry.active });
  const revoked = await sync(tx, scope, entry, person.email);
  return { resource: scimUser(entry, scope.base), revoked };
}

/** The User (`before`, as read in this transaction) replaced by `fields`. */
async function update(
  tx: Tx,
  scope: ScimScope,
  before: Awaited<ReturnType<typeof findEntry>>,
  fields: ReturnType<typeof fieldsOf>,
) {
  await refuseTakenUserName(tx, scope, fields.userName, before.id);
  const data: Prisma.DirectoryUserUpdateInput = {
    userName: fields.userName,
    externalId: fields.externalId,
    displayName: fields.displayName,
    active: fields.active,
  };
  const entry = await tx.directoryUser.update({ where: { id: before.id }, data, include: withUser });
  const action = before.active && !entry.active ? "scim.user_deactivate" : "scim.user_update";
  await audit(tx, scope, action, entry.id, { email: entry.user.email, active: entry.active });
  const revoked = await sync(tx, scope, entry, entry.user.email);
  return { resource: scimUser(entry, scope.base), revoked };
}

/** PUT /Users/:id: the whole User replaced (the email stays: it is the account's). */
export async function replaceScimUser(tx: Tx, scope: ScimScope, id: string, body: unknown) {
  return update(tx, scope, await findEntry(tx, scope, id), fieldsOf(parseUser(body)));
}

/** PATCH /Users/:id: operations on the User as we show it; `active: false` deactivates. */
export async function patchScimUser(tx: Tx, scope: ScimScope, id: string, body: unknown) {
  const entry = await findEntry(tx, scope, id);
  const patched = applyPatch(scimUser(entry, scope.base) as unknown as ScimResource, body);
  return update(tx, scope, entry, fieldsOf(parseUser(patched)));
}

/** DELETE /Users/:id: the person leaves the organisation (their account stays: it may belong to others). */
export async function deleteScimUser(tx: Tx, scope: ScimScope, id: string) {
  const entry = await findEntry(tx, scope, id);
  await tx.directoryUser.delete({ where: { id: entry.id } });
  await audit(tx, scope, "scim.user_delete", entry.id, { email: entry.user.email });
  const email = entry.user.email;
  return syncDirectoryUser(
    { tenantId: scope.tenantId, userId: entry.userId, email, active: false, groups: [] },
    scope.ctx,
    tx,
  );
}

export async function getScimUser(tx: Tx, scope: ScimScope, id: string) {
  return scimUser(await findEntry(tx, scope, id), scope.base);
}

/** GET /Users, filtered by `userName eq "…"` or `externalId eq "…"` (what IdPs ask before creating). */
export async function listScimUsers(
  tx: Tx,
  scope: ScimScope,
  filter: { attribute: string; value: string } | null,
  page: { skip: number; take: number },
) {
  const where: Prisma.DirectoryUserWhereInput = { tenantId: scope.tenantId };
  if (filter?.attribute === "username") where.userName = { equals: filter.value, mode: "insensitive" };
  else if (filter?.attribute === "externalid") where.externalId = filter.value;
  else if (filter) throw new ScimError(400, "Users are filtered by userName or externalId (eq).", "invalidFilter");
  const [entries, total] = await Promise.all([
    tx.directoryUser.findMany({ where, include: withUser, orderBy: { createdAt: "asc" }, ...page }),
    tx.directoryUser.count({ where }),
  ]);
  return { resources: entries.map((entry) => scimUser(entry, scope.base)), total };
}
