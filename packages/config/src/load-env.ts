import { existsSync } from "node:fs";
import { parseEnv as parseDotenv } from "node:util";
import { readFileSync } from "node:fs";
import type { z } from "zod";

/** Raised when the environment does not satisfy an app's schema. */
export class EnvError extends Error {
  override name = "EnvError";
}

type EnvSource = Record<string, string | undefined>;

/**
 * Validates `source` against `schema`. The message names every bad variable
 * on one line, e.g. `DATABASE_URL: required; PORT: expected a port (1-65535)`.
 * An empty variable counts as unset, as Compose's `${VAR:-}` and Kubernetes'
 * optional keys leave them: it gets its default, or is reported required.
 */
export function parseEnv<S extends z.ZodType>(schema: S, given: EnvSource): z.infer<S> {
  const source = Object.fromEntries(Object.entries(given).filter(([, value]) => value !== ""));
  const result = schema.safeParse(source);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.join(".") || "environment";
    const missing = issue.code === "invalid_type" && source[String(issue.path[0])] === undefined;
    const message = missing ? "required" : issue.message;
    return `${name}: ${message}`;
  });
  throw new EnvError(problems.join("; "));
}

/**
 * Reads a dotenv file written by `npm start` (e.g. `.data/local.env`) under
 * the real environment: variables already set win.
 */
export function withEnvFile(source: EnvSource, file: string | undefined): EnvSource {
  if (!file || !existsSync(file)) return source;
  return { ...parseDotenv(readFileSync(file, "utf8")), ...source };
}

/**
 * The one place an app turns its environment into config: on a problem it
 * prints one clear line and stops the process.
 */
export function loadEnvOrExit<S extends z.ZodType>(app: string, schema: S, source: EnvSource): z.infer<S> {
  try {
    return parseEnv(schema, source);
  } catch (error) {
    if (!(error instanceof EnvError)) throw error;
    process.stderr.write(`[${app}] invalid environment: ${error.message}\n`);
    process.exit(1);
  }
}
