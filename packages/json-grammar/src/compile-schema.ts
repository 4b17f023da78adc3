/**
 * A JSON schema as the automaton reads it. Objects are written with every
 * declared property, in the schema's order (OpenAI's strict mode asks for all
 * of them to be required anyway); output is compact JSON, no whitespace.
 * `min` is the fewest characters a value of the node can take.
 */
export type GrammarNode = (
  | { kind: "object"; properties: { key: string; node: GrammarNode }[] }
  | { kind: "anyObject" }
  | { kind: "array"; items: GrammarNode; minItems: number; maxItems: number }
  | { kind: "string"; minLength: number; maxLength: number }
  | { kind: "number"; integer: boolean }
  | { kind: "literal"; texts: string[] }
  | { kind: "union"; options: GrammarNode[] }
  | { kind: "any" }
) & { min: number; first: ReadonlySet<string> };

/** A schema (or part of one) the automaton cannot honour: each entry names a keyword and where it is. */
export class UnsupportedSchemaError extends Error {
  constructor(readonly problems: string[]) {
    super(`the schema uses what structured output does not support: ${problems.join("; ")}`);
    this.name = "UnsupportedSchemaError";
  }
}

const DIGITS = "0123456789";
const NUMBER_FIRST = new Set(["-", ...DIGITS]);
const ANNOTATIONS = new Set(["description", "title", "$comment", "examples", "default", "$schema", "$id"]);
const KEYWORDS: Record<string, Set<string>> = {
  object: new Set(["properties", "required", "additionalProperties"]),
  array: new Set(["items", "minItems", "maxItems"]),
  string: new Set(["minLength", "maxLength"]),
  number: new Set(),
  integer: new Set(),
  boolean: new Set(),
  null: new Set(),
};

const node = <T extends Omit<GrammarNode, "min" | "first">>(
  shape: T,
  min: number,
  first: Iterable<string>,
): T & { min: number; first: ReadonlySet<string> } => ({ ...shape, min, first: new Set(first) });

const literal = (texts: string[]) =>
  node(
    { kind: "literal" as const, texts },
    Math.min(...texts.map((text) => text.length)),
    texts.map((text) => text[0] ?? ""),
  );

/** Any JSON value (the values of `json_object` mode, and of a schema that says nothing). */
const ANY: GrammarNode = node({ kind: "any" as const }, 1, ["{", "[", '"', "t", "f", "n", ...NUMBER_FIRST]);

/** `response_format: {type: "json_object"}`: an object, with anything in it. */
export const anyJsonObject: GrammarNode = node({ kind: "anyObject" as const }, 2, ["{"]);

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const count = (value: unknown, fallback: number) =>
  typeof value === "number" && Number.isInteger(value) && value >= 0 ? value : fallback;

/**
 * Compiles a JSON schema (`response_format.json_schema.schema`). Its root must
 * be an object. Supported: `type` (one or a list), `properties`, `required`,
 * `additionalProperties`, `items`, `minItems`, `maxItems`, `minLength`,
 * `maxLength`, `enum`, `const`, `anyOf`/`oneOf` whose options begin with
 * different characters (`["string", "null"]`, say), and annotations. Anything
 * else throws UnsupportedSchemaError naming every keyword and its path.
 */
export function compileJsonSchema(schema: unknown): GrammarNode {
  const problems: string[] = [];
  const compiled = compile(schema, "#", problems);
  if (compiled.kind !== "object" && compiled.kind !== "anyObject")
    problems.push("the root must be an object (type: object)");
  if (problems.length > 0) throw new UnsupportedSchemaError(problems);
  return compiled;
}

function compile(schema: unknown, path: string, problems: string[]): GrammarNode {
  if (schema === true || (isRecord(schema) && Object.keys(schema).every((key) => ANNOTATIONS.has(key)))) return ANY;
  if (!isRecord(schema)) {
    problems.push(`${path} is not a schema object`);
    return ANY;
  }
  if ("const" in schema) return literal([JSON.stringify(schema.const)]);
  if ("enum" in schema) {
    if (!Array.isArray(schema.enum) || schema.enum.length === 0) {
      problems.push(`'enum' at ${path} must be a non-empty array`);
      return ANY;
    }
    return literal(schema.enum.map((value) => JSON.stringify(value)));
  }
  const choices = schema.anyOf ?? schema.oneOf;
  if (choices !== undefined) {
    if (!Array.isArray(choices) || choices.length === 0) {
      problems.push(`'anyOf' at ${path} must be a non-empty array`);
      return ANY;
    }
    return union(
      choices.map((choice, i) => compile(choice, `${path}/anyOf/${i}`, problems)),
      path,
      problems,
    );
  }
  if (schema.type === undefined) {
    for (const key of Object.keys(schema)) if (!ANNOTATIONS.has(key)) problems.push(`'${key}' at ${path}`);
    return ANY;
  }
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  const known = types.filter((type): type is string => typeof type === "string" && type in KEYWORDS);
  if (known.length !== types.length || known.length === 0) {
    problems.push(`'type' at ${path} must be one of ${Object.keys(KEYWORDS).join(", ")}`);
    return ANY;
  }
  for (const key of Object.keys(schema)) {
    if (key === "type" || ANNOTATIONS.has(key)) continue;
    if (!known.some((type) => KEYWORDS[type]?.has(key))) problems.push(`'${key}' at ${path}`);
  }
  const options = known.map((type) => typed(type, schema, path, problems));
  return options.length === 1 ? (options[0] ?? ANY) : union(options, path, problems);
}

function typed(type: string, schema: Record<string, unknown>, path: string, problems: string[]): GrammarNode {
  switch (type) {
    case "string": {
      const minLength = count(schema.minLength, 0);
      return node({ kind: "string" as const, minLength, maxLength: count(schema.maxLength, Infinity) }, 2 + minLength, [
        '"',
      ]);
    }
    case "number":
    case "integer":
      return node({ kind: "number" as const, integer: type === "integer" }, 1, NUMBER_FIRST);
    case "boolean":
      return literal(["true", "false"]);
    case "null":
      return literal(["null"]);
    case "array": {
      const items = schema.items === undefined ? ANY : compile(schema.items, `${path}/items`, problems);
      const minItems = count(schema.minItems, 0);
      const maxItems = count(schema.maxItems, Infinity);
      if (minItems > maxItems) problems.push(`minItems above maxItems at ${path}`);
      return node(
        { kind: "array" as const, items, minItems, maxItems },
        minItems === 0 ? 2 : 1 + minItems * (items.min + 1),
        ["["],
      );
    }
    default: {
      if (schema.additionalProperties !== undefined && typeof schema.additionalProperties !== "boolean")
        problems.push(`'additionalProperties' at ${path} other than true or false`);
      if (!isRecord(schema.properties) || Object.keys(schema.properties).length === 0) return anyJsonObject;
      const properties = Object.entries(schema.properties).map(([key, value]) => ({
        key,
        node: compile(value, `${path}/properties/${key}`, problems),
      }));
      const min =
        1 + properties.reduce((sum, property) => sum + JSON.stringify(property.key).length + 2 + property.node.min, 0);
      return node({ kind: "object" as const, properties }, min, ["{"]);
    }
  }
}

function union(options: GrammarNode[], path: string, problems: string[]): GrammarNode {
  const seen = new Set<string>();
  for (const option of options) {
    for (const first of option.first) {
      if (seen.has(first)) {
        problems.push(`'anyOf' at ${path} with two options that can begin with ${JSON.stringify(first)}`);
        return ANY;
      }
      seen.add(first);
    }
  }
  return node({ kind: "union" as const, options }, Math.min(...options.map((option) => option.min)), seen);
}
