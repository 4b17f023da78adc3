import type { z } from "zod";

const withArticle: Record<string, string> = {
  array: "an array",
  bigint: "an integer",
  boolean: "a boolean (true or false)",
  int: "an integer",
  number: "a number",
  object: "an object",
  record: "an object",
  string: "a string",
};

/** What a JSON value is, the way an error message names it: `a string`, `null`, `an array`. */
function kindOf(input: unknown): string {
  if (input === null) return "null";
  if (Array.isArray(input)) return "an array";
  return withArticle[typeof input] ?? typeof input;
}

/** `must be at most 2`, `must be at most 256 characters long`. */
function bounded(bound: string, value: number | bigint, origin: string): string {
  const plural = Number(value) === 1 ? "" : "s";
  if (origin === "string") return `must be ${bound} ${String(value)} character${plural} long`;
  return `must be ${bound} ${String(value)}`;
}

/**
 * How the public API words a value that has the wrong type or is out of
 * bounds, where a schema gives no message of its own: zod's defaults read
 * `Too big: expected number to be <=2`. A parse-level error map, so a
 * schema's own message still wins.
 */
export const issueWording: z.core.$ZodErrorMap = (issue) => {
  if (issue.code === "invalid_type") {
    return `expected ${withArticle[issue.expected] ?? issue.expected}, got ${kindOf(issue.input)}`;
  }
  if (issue.code === "too_big") {
    return bounded(issue.inclusive === false ? "less than" : "at most", issue.maximum, issue.origin);
  }
  if (issue.code === "too_small") {
    if (issue.origin === "string" && Number(issue.minimum) === 1) return "must not be empty";
    return bounded(issue.inclusive === false ? "greater than" : "at least", issue.minimum, issue.origin);
  }
  return undefined;
};
