/**
 * The roles a connection of the application's login may act as
 * (migration 20261205160000_platform_and_operator_roles): `application`
 * is the login's own (aiaas_app), the others are taken for the whole
 * session when the connection starts.
 */
export const SESSION_ROLES = {
  application: null,
  platform: "aiaas_platform",
  operator: "aiaas_operator",
} as const;

export type DatabaseRole = keyof typeof SESSION_ROLES;

/** `databaseUrl` with the startup option that makes each of its connections act as `role`. */
export function connectingAs(databaseUrl: string, role: DatabaseRole): string {
  const sessionRole = SESSION_ROLES[role];
  if (!sessionRole) return databaseUrl;
  const url = new URL(databaseUrl);
  const options = [url.searchParams.get("options"), `-c role=${sessionRole}`].filter(Boolean).join(" ");
  url.searchParams.set("options", options);
  return url.toString();
}
