const ROLES = ["owner", "admin", "developer", "billing", "viewer"] as const;
export type Role = (typeof ROLES)[number];

/** A role mapping as the form shows it: one `group = role` per line. */
export const mappingText = (mapping: Record<string, string>) =>
  Object.entries(mapping)
    .map(([group, role]) => `${group} = ${role}`)
    .join("\n");

/** The lines typed back into a mapping; the first line that is not `group = role` is the error. */
export function parseMapping(text: string): { mapping: Record<string, Role> } | { error: string } {
  const mapping: Record<string, Role> = {};
  for (const [index, raw] of text.split("\n").entries()) {
    const line = raw.trim();
    if (!line) continue;
    const at = line.lastIndexOf("=");
    const group = line.slice(0, at).trim();
    const role = line
      .slice(at + 1)
      .trim()
      .toLowerCase();
    if (at < 1 || !group || !(ROLES as readonly string[]).includes(role)) {
      return { error: `Line ${index + 1}: write "group = role", the role one of ${ROLES.join(", ")}.` };
    }
    mapping[group] = role as Role;
  }
  return { mapping };
}

export const roleChoices = ROLES;
