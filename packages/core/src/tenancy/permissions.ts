import type { TenantRole } from "@aiaas/db";

/** Every permission a tenant role can hold. Procedures name one of these, never a role. */
export const permissionScopes = [
  "tenant:read",
  "tenant:update",
  "keys:read",
  "keys:create",
  "keys:revoke",
  "members:read",
  "members:invite",
  "members:manage",
  "audit:read",
  "usage:read",
  /** Set per-key limits and budgets (within the organization's). */
  "limits:manage",
  /** Decrypt the prompts and completions stored while retention allows; audited. */
  "prompts:read",
  "billing:read",
  "billing:manage",
  /** Cancel the organization's batches (the Batches API). */
  "batches:manage",
  /** Set the organization's single sign-on: its identity provider, domains, SCIM tokens (owners only). */
  "sso:manage",
] as const;
export type PermissionScope = (typeof permissionScopes)[number];

const everything = permissionScopes;

/** The one table of who may do what; tests read it. */
export const rolePermissions: Record<TenantRole, readonly PermissionScope[]> = {
  owner: everything,
  admin: everything.filter((scope) => scope !== "billing:manage" && scope !== "sso:manage"),
  developer: ["tenant:read", "keys:read", "keys:create", "keys:revoke", "members:read", "usage:read", "batches:manage"],
  billing: ["tenant:read", "members:read", "usage:read", "billing:read", "billing:manage"],
  viewer: ["tenant:read", "keys:read", "members:read", "usage:read"],
};

export function roleCan(role: TenantRole, scope: PermissionScope): boolean {
  return rolePermissions[role].includes(scope);
}
