import type { DirectoryGroup, DirectoryUser, User } from "@aiaas/db";

export const SCIM_USER = "urn:ietf:params:scim:schemas:core:2.0:User";
export const SCIM_GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
export const SCIM_LIST = "urn:ietf:params:scim:api:messages:2.0:ListResponse";

type UserEntry = DirectoryUser & {
  user: Pick<User, "email">;
  groups: { group: Pick<DirectoryGroup, "id" | "displayName"> }[];
};
type GroupEntry = DirectoryGroup & { members: { user: Pick<DirectoryUser, "id" | "userName"> }[] };

const meta = (kind: "User" | "Group", entry: { id: string; createdAt: Date; updatedAt: Date }, base: string) => ({
  resourceType: kind,
  created: entry.createdAt.toISOString(),
  lastModified: entry.updatedAt.toISOString(),
  location: `${base}/${kind}s/${entry.id}`,
});

export function scimUser(entry: UserEntry, base: string) {
  return {
    schemas: [SCIM_USER],
    id: entry.id,
    ...(entry.externalId && { externalId: entry.externalId }),
    userName: entry.userName,
    ...(entry.displayName && { displayName: entry.displayName, name: { formatted: entry.displayName } }),
    emails: [{ value: entry.user.email, primary: true, type: "work" }],
    active: entry.active,
    groups: entry.groups.map(({ group }) => ({ value: group.id, display: group.displayName })),
    meta: meta("User", entry, base),
  };
}

export function scimGroup(entry: GroupEntry, base: string) {
  return {
    schemas: [SCIM_GROUP],
    id: entry.id,
    ...(entry.externalId && { externalId: entry.externalId }),
    displayName: entry.displayName,
    members: entry.members.map(({ user }) => ({ value: user.id, display: user.userName })),
    meta: meta("Group", entry, base),
  };
}

export const listResponse = (resources: unknown[], total: number, startIndex: number) => ({
  schemas: [SCIM_LIST],
  totalResults: total,
  startIndex,
  itemsPerPage: resources.length,
  Resources: resources,
});
