import { readFileSync } from "node:fs";
import { parse } from "yaml";

export interface ComposeService {
  image?: string;
  build?: { context?: string; dockerfile?: string; target?: string };
  environment?: Record<string, string | number | boolean | null> | string[];
  profiles?: string[];
}

export interface ComposeFile {
  services: Record<string, ComposeService>;
}

/** Raised for a `${VAR:?message}` whose variable is unset or empty, as `docker compose` refuses it. */
export class MissingVariable extends Error {
  override name = "MissingVariable";
}

const reference = /\$(?:\$|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g;

/**
 * Compose's interpolation of one value: `$$`, `$VAR`, `${VAR}`,
 * `${VAR:-default}`, `${VAR-default}`, `${VAR:?message}`, `${VAR?message}`.
 */
export function interpolate(value: string, env: Record<string, string | undefined>): string {
  type Groups = [string, string | undefined, string | undefined, string | undefined, string | undefined];
  return value.replace(reference, (...[whole, braced, operator, argument = "", bare]: Groups): string => {
    if (whole === "$$") return "$";
    const name = braced ?? bare ?? "";
    const current = env[name];
    const unset = operator?.startsWith(":") ? !current : current === undefined;
    if (operator?.endsWith("-")) return unset ? argument : (current ?? "");
    if (operator?.endsWith("?") && unset) throw new MissingVariable(`${name}: ${argument || "required"}`);
    return current ?? "";
  });
}

/** Every string value of a parsed document. */
function strings(node: unknown): string[] {
  if (typeof node === "string") return [node];
  if (Array.isArray(node)) return node.flatMap(strings);
  if (node && typeof node === "object") return Object.values(node).flatMap(strings);
  return [];
}

const readDocument = (path: string): unknown => parse(readFileSync(path, "utf8"), { merge: true });

/** The variables a Compose file reads without a default (`${VAR}`, `${VAR:?…}`), and those it reads with one. */
export function composeVariables(path: string) {
  const required = new Set<string>();
  const optional = new Set<string>();
  for (const value of strings(readDocument(path)))
    for (const match of value.matchAll(reference)) {
      const name = match[1] ?? match[4];
      if (name) (match[2]?.endsWith("-") ? optional : required).add(name);
    }
  return { required, optional };
}

/** Interpolates every string in a parsed document. */
function interpolateAll(node: unknown, env: Record<string, string | undefined>): unknown {
  if (typeof node === "string") return interpolate(node, env);
  if (Array.isArray(node)) return node.map((item) => interpolateAll(item, env));
  if (node && typeof node === "object")
    return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, interpolateAll(value, env)]));
  return node;
}

/** A Compose file as `docker compose config` would read it with `env` (YAML merge keys and interpolation). */
export function loadCompose(path: string, env: Record<string, string | undefined>): ComposeFile {
  return interpolateAll(readDocument(path), env) as ComposeFile;
}

/** A service's `environment`, as a map whichever form it is written in. */
export function serviceEnvironment(service: ComposeService): Record<string, string> {
  const entries: [string, string][] = Array.isArray(service.environment)
    ? service.environment.map((line) => {
        const at = line.indexOf("=");
        return at < 0
          ? ([line, ""] as [string, string])
          : ([line.slice(0, at), line.slice(at + 1)] as [string, string]);
      })
    : Object.entries(service.environment ?? {}).map(([key, value]): [string, string] => [
        key,
        value === null ? "" : String(value),
      ]);
  return Object.fromEntries(entries);
}
