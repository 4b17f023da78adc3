import { Ajv } from "ajv";
import prand from "pure-rand";
import { describe, expect, it } from "vitest";
import {
  advanceText,
  anyJsonObject,
  canFinish,
  compileJsonSchema,
  minRemaining,
  PieceTrie,
  startState,
  UnsupportedSchemaError,
  type GrammarNode,
} from "./index.ts";

const person = {
  type: "object",
  properties: {
    name: { type: "string", maxLength: 12 },
    age: { type: "integer" },
    score: { type: ["number", "null"] },
    tags: { type: "array", items: { type: "string", enum: ["a", "bc", 'd"e'] }, minItems: 1, maxItems: 3 },
    ok: { type: "boolean" },
    nested: { type: "object", properties: { x: { const: 7 } }, required: ["x"], additionalProperties: false },
    free: { type: "object" },
  },
  required: ["name", "age", "score", "tags", "ok", "nested", "free"],
  additionalProperties: false,
};

/** Pieces of one to three characters, as a tokenizer's vocabulary has them. */
const PIECES = [
  ...' {}[]":,-.eE+0123456789abcdefghijklmnopqrstuvwxyzAB\\/tu'.split(""),
  '{"',
  '":',
  "tr",
  "ue",
  "null",
  '"a',
  "\\u",
  "00",
  "ab",
];

/** Samples a document piece by piece, as the decoder does: only pieces that leave room to finish in `budget` pieces. */
function sample(root: GrammarNode, budget: number, seed: number): string {
  const trie = new PieceTrie(PIECES);
  const rng = prand.mersenne(seed);
  let state = startState(root);
  let text = "";
  for (let left = budget; left > 0 && state !== null; left--) {
    const allowed = [...trie.allowed(state, left - 1)];
    expect(allowed.length, `stuck after ${JSON.stringify(text)}`).toBeGreaterThan(0);
    const [piece, next] = allowed[prand.unsafeUniformIntDistribution(0, allowed.length - 1, rng)] ?? [0, null];
    text += PIECES[piece];
    state = next;
  }
  expect(state, `unfinished: ${text}`).toBeNull();
  return text;
}

describe("json grammar", () => {
  it("samples documents that parse and validate, within the budget, every time", () => {
    const validate = new Ajv().compile(person);
    const root = compileJsonSchema(person);
    for (let seed = 0; seed < 300; seed++) {
      const budget = root.min + (seed % 60);
      const text = sample(root, budget, seed);
      expect(text.length).toBeLessThanOrEqual(budget * 4);
      const value: unknown = JSON.parse(text);
      expect(validate(value), `${text}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
  });

  it("json_object mode: any object", () => {
    for (let seed = 0; seed < 200; seed++) {
      const text = sample(anyJsonObject, 2 + (seed % 40), seed);
      const value: unknown = JSON.parse(text);
      expect(typeof value === "object" && value !== null && !Array.isArray(value)).toBe(true);
    }
  });

  it("the fewest characters to finish are exact for a document that takes them", () => {
    const root = compileJsonSchema(person);
    const shortest = '{"name":"","age":0,"score":0,"tags":["a"],"ok":true,"nested":{"x":7},"free":{}}';
    expect(root.min).toBe(shortest.length);
    for (let i = 0; i <= shortest.length; i++) {
      const state = advanceText(startState(root), shortest.slice(0, i));
      expect(state).not.toBeUndefined();
      expect(minRemaining(state ?? null)).toBeLessThanOrEqual(shortest.length - i);
    }
    expect(advanceText(startState(root), shortest)).toBeNull();
  });

  it("refuses what breaks the schema at the first character that does", () => {
    const root = compileJsonSchema(person);
    expect(advanceText(startState(root), '{"name":"abc","age":1.5')).toBeUndefined();
    expect(advanceText(startState(root), '{"nam')).not.toBeUndefined();
    expect(advanceText(startState(root), '{"age"')).toBeUndefined();
    expect(advanceText(startState(root), '{"name":"0123456789abc')).toBeUndefined();
    expect(advanceText(startState(root), '{"name":"a\nb')).toBeUndefined();
    expect(
      advanceText(startState(root), '{"name":"a\\u00e9","age":-0,"score":null,"tags":["d\\"e"'),
    ).not.toBeUndefined();
    expect(advanceText(startState(root), '{"name":"","age":01')).toBeUndefined();
    expect(advanceText(startState(anyJsonObject), "{}x")).toBeUndefined();
    expect(canFinish(advanceText(startState(anyJsonObject), '{"a":[1,{"b":null}]}') ?? null)).toBe(true);
  });

  it("names every keyword it cannot honour, with its path", () => {
    const attempt = () =>
      compileJsonSchema({
        type: "object",
        properties: {
          a: { type: "string", pattern: "^x" },
          b: { type: "integer", minimum: 3 },
          c: { anyOf: [{ type: "string" }, { type: "string", maxLength: 3 }] },
          d: { $ref: "#/$defs/d" },
        },
      });
    expect(attempt).toThrow(UnsupportedSchemaError);
    try {
      attempt();
    } catch (error) {
      const { problems } = error as UnsupportedSchemaError;
      expect(problems).toEqual([
        "'pattern' at #/properties/a",
        "'minimum' at #/properties/b",
        `'anyOf' at #/properties/c with two options that can begin with "\\""`,
        "'$ref' at #/properties/d",
      ]);
    }
    expect(() => compileJsonSchema({ type: "array" })).toThrow("the root must be an object");
  });
});
