import type { TenantRole } from "@aiaas/db";

/** Roles from most to least trusted: a person in several mapped groups gets the first of theirs. */
export const ROLES_BY_RANK: readonly TenantRole[] = ["owner", "admin", "developer", "billing", "viewer"];

export interface RoleMapping {
  /** IdP group name → role. */
  groups: Record<string, TenantRole>;
  /** The role of someone none of whose groups is mapped; null: they are not let in. */
  defaultRole: TenantRole | null;
}

/** The role a person's IdP groups give them, or null when they are not to be a member. */
export function roleForGroups(groups: readonly string[], mapping: RoleMapping): TenantRole | null {
  const mapped = new Set(groups.flatMap((group) => mapping.groups[group] ?? []));
  return ROLES_BY_RANK.find((role) => mapped.has(role)) ?? mapping.defaultRole;
}

/** A claim or attribute's groups, whatever shape the IdP sends (a list, one name, or names separated by commas). */
export function groupsOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((group): group is string => typeof group === "string");
  if (typeof value === "string")
    return value
      .split(",")
      .map((group) => group.trim())
      .filter(Boolean);
  return [];
}
