import { z } from "zod";

/** URL-safe tenant handle: 3-40 chars, lowercase letters, digits, inner hyphens. */
export const tenantSlug = z
  .string()
  .trim()
  .regex(
    /^[a-z0-9](?:[a-z0-9-]{1,38})[a-z0-9]$/,
    "slug must be 3-40 characters of lowercase letters, digits and hyphens, not starting or ending with a hyphen",
  );

/** A slug derived from a display name, e.g. "Acme Corp." -> "acme-corp". */
export function slugify(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40)
    .replace(/-+$/g, "");
}
