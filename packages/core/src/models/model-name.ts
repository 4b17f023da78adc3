import { z } from "zod";

/** A model id: lowercase letters, digits, dots and hyphens. */
export const modelSlug = z
  .string()
  .regex(/^[a-z0-9][a-z0-9.-]{1,62}$/, "model ids are lowercase letters, digits, dots and hyphens");

/** A version's name (the hub revision, `int8`, `sha-<digest>`), unique per model. */
export const versionName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, "versions are letters, digits, dots, hyphens and underscores");

/** An alias: the bare id is `default`; `id:tag` names the alias `tag`. */
export const aliasName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{0,31}$/, "aliases are lowercase letters, digits, dots, hyphens and underscores");

export const DEFAULT_ALIAS = "default";

/** What a public model name points at: an alias of a model, or one of its versions pinned. */
export type ModelName =
  { slug: string; alias: string; version?: never } | { slug: string; version: string; alias?: never };

/**
 * Reads a public model name: `kjv-gpt-mini` (the default alias),
 * `kjv-gpt-mini:int8` (the alias `int8`) or `kjv-gpt-mini@sha-1a2b3c4d5e6f`
 * (that version, pinned). Undefined when the name is none of these.
 */
export function parseModelName(name: string): ModelName | undefined {
  const pinned = /^([^@:]+)@([^@:]+)$/.exec(name);
  if (pinned) {
    const [, slug = "", version = ""] = pinned;
    return modelSlug.safeParse(slug).success && versionName.safeParse(version).success ? { slug, version } : undefined;
  }
  const aliased = /^([^@:]+)(?::([^@:]+))?$/.exec(name);
  if (!aliased) return undefined;
  const [, slug = "", alias = DEFAULT_ALIAS] = aliased;
  return modelSlug.safeParse(slug).success && aliasName.safeParse(alias).success ? { slug, alias } : undefined;
}

/** The public name of an alias: the bare id for the default one. */
export const aliasedName = (slug: string, alias: string) => (alias === DEFAULT_ALIAS ? slug : `${slug}:${alias}`);
