export const tenantRoles = ["owner", "admin", "developer", "billing", "viewer"] as const;
export type TenantRoleName = (typeof tenantRoles)[number];

export const roleDescriptions: Record<TenantRoleName, string> = {
  owner: "everything, including billing and owners",
  admin: "everything but billing",
  developer: "API keys and usage",
  billing: "billing and usage",
  viewer: "read only",
};
