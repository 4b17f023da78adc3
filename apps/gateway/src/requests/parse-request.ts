import type { z } from "zod";
import { ApiError } from "../openai-error.ts";
import { issueWording } from "./issue-wording.ts";

/** `messages.0.content` -> `messages[0].content`, the way OpenAI names params. */
export function paramName(path: readonly PropertyKey[]): string {
  return path.reduce<string>((name, part) => {
    if (typeof part === "number") return `${name}[${part}]`;
    return name ? `${name}.${String(part)}` : String(part);
  }, "");
}

/** The value at a path of the request body (undefined where it is absent). */
function valueAt(body: unknown, path: readonly PropertyKey[]): unknown {
  return path.reduce<unknown>(
    (value, part) =>
      value !== null && typeof value === "object" ? (value as Record<PropertyKey, unknown>)[part] : undefined,
    body,
  );
}

function describe(issue: z.core.$ZodIssue, body: unknown): { message: string; param: string | null } {
  if (issue.code === "unrecognized_keys") {
    const param = paramName([...issue.path, issue.keys[0] ?? ""]);
    return { message: `Unrecognized request argument supplied: ${issue.keys.join(", ")}`, param };
  }
  const param = paramName(issue.path);
  if (!param) return { message: `Invalid request body: ${issue.message}.`, param: null };
  if (valueAt(body, issue.path) === undefined) return { message: `Missing required parameter: '${param}'.`, param };
  return { message: `Invalid value for '${param}': ${issue.message}.`, param };
}

/**
 * Parses a request body (or query) with its zod schema; the first problem
 * becomes a 400 in OpenAI's shape, naming the parameter.
 */
export function parseRequest<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  if (value === undefined || value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new ApiError(400, "The request body must be a JSON object.", "invalid_body");
  }
  const parsed = schema.safeParse(value, { error: issueWording });
  if (parsed.success) return parsed.data;
  const [issue] = parsed.error.issues;
  const { message, param } = issue ? describe(issue, value) : { message: "Invalid request body.", param: null };
  throw new ApiError(400, message, "invalid_value", param);
}
