import { describe, expect, it } from "vitest";
import { permissionScopes, roleCan, rolePermissions } from "./permissions.ts";

describe("role permissions", () => {
  it("gives owners every scope", () => {
    expect([...rolePermissions.owner].sort()).toEqual([...permissionScopes].sort());
  });

  it.each([
    ["viewer", "keys:create", false],
    ["viewer", "keys:read", true],
    ["developer", "keys:create", true],
    ["developer", "members:invite", false],
    ["billing", "billing:manage", true],
    ["billing", "keys:create", false],
    ["admin", "billing:manage", false],
    ["admin", "members:manage", true],
    ["viewer", "audit:read", false],
    ["owner", "prompts:read", true],
    ["admin", "prompts:read", true],
    ["developer", "prompts:read", false],
    ["billing", "prompts:read", false],
    ["viewer", "prompts:read", false],
    ["admin", "limits:manage", true],
    ["developer", "limits:manage", false],
    ["viewer", "limits:manage", false],
    ["owner", "sso:manage", true],
    ["admin", "sso:manage", false],
  ] as const)("%s %s: %s", (role, scope, allowed) => {
    expect(roleCan(role, scope)).toBe(allowed);
  });

  it("lists only known scopes", () => {
    for (const scopes of Object.values(rolePermissions)) {
      for (const scope of scopes) expect(permissionScopes).toContain(scope);
    }
  });
});
