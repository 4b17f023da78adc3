import { Ajv } from "ajv";
import { beforeAll, describe, expect, it } from "vitest";
import { InferenceInputError } from "../../errors.ts";
import type { ModelFolder } from "../../read-model-folder.ts";
import { loadTextTokenizer, type TextTokenizer } from "../../text/text-tokenizer.ts";
import { testSessionOptions, zooModel } from "../../testing/zoo.ts";
import { fullSequenceLogprobs } from "../../testing/full-sequence-logprobs.ts";
import { DecoderModel } from "./decoder-model.ts";

let folder: ModelFolder;
let model: DecoderModel;
let tokenizer: TextTokenizer;

beforeAll(async () => {
  folder = await zooModel("kjv-gpt-mini");
  model = await DecoderModel.load(folder, testSessionOptions, { maxBatchSize: 16, maxWaitMs: 5 });
  tokenizer = await loadTextTokenizer(folder.dir);
}, 60_000);

/** A schema with a bit of everything; the model's vocabulary has no braces, quotes or digits. */
export const verseSchema = {
  type: "object",
  properties: {
    book: { type: "string", maxLength: 24 },
    chapter: { type: "integer" },
    verse: { type: "string" },
    people: { type: "array", items: { type: "string", maxLength: 16 }, maxItems: 3 },
    mood: { enum: ["joy", "wrath", "mercy"] },
    prophecy: { type: ["boolean", "null"] },
  },
  required: ["book", "chapter", "verse", "people", "mood", "prophecy"],
  additionalProperties: false,
};

describe("structured output from kjv-gpt-mini", () => {
  it("json_schema: 100 of 100 sampled runs parse and validate", async () => {
    const validate = new Ajv().compile(verseSchema);
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, seed) =>
        model.generate({
          messages: [{ role: "user", content: "Tell of the flood." }],
          temperature: 1,
          seed,
          maxTokens: 160,
          responseFormat: { type: "json_schema", schema: verseSchema },
        }),
      ),
    );
    const invalid = results.filter(({ text }) => {
      try {
        return !validate(JSON.parse(text));
      } catch {
        return true;
      }
    });
    expect(invalid.map((result) => result.text)).toEqual([]);
    expect(results.every((result) => result.finishReason === "stop" && result.completionTokens <= 160)).toBe(true);
    // The content is the model's: its own letters fill the strings.
    expect(results.filter(({ text }) => /"verse":"[a-zA-Z ,;:.']{3,}/.test(text)).length).toBeGreaterThan(50);
  }, 120_000);

  it("json_object: an object, even at a short budget", async () => {
    for (let seed = 0; seed < 20; seed++) {
      const { text } = await model.generate({
        prompt: "And God said",
        temperature: 1,
        seed,
        maxTokens: 8 + seed,
        responseFormat: { type: "json_object" },
      });
      const value: unknown = JSON.parse(text);
      expect(typeof value === "object" && value !== null && !Array.isArray(value), text).toBe(true);
    }
  });

  it("refuses a schema it cannot honour, and a budget too small for the schema, naming them", async () => {
    const refused = (request: Parameters<DecoderModel["generate"]>[0]) =>
      model.generate(request).then(
        () => undefined,
        (error: unknown) => error as InferenceInputError,
      );
    const pattern = await refused({
      prompt: "x",
      responseFormat: {
        type: "json_schema",
        schema: { type: "object", properties: { a: { type: "string", pattern: "x" } } },
      },
    });
    expect(pattern).toBeInstanceOf(InferenceInputError);
    expect(pattern?.param).toBe("response_format");
    expect(pattern?.message).toContain("'pattern' at #/properties/a");
    const short = await refused({
      prompt: "x",
      maxTokens: 10,
      responseFormat: { type: "json_schema", schema: verseSchema },
    });
    expect(short?.param).toBe("max_tokens");
    expect(short?.message).toMatch(/shortest document of this response format takes \d+ tokens/);
  });
});

describe("log probabilities", () => {
  it("are the model's softmax at each step, recomputed here without the cache", async () => {
    const prompt = "And the LORD said unto";
    const result = await model.generate({ prompt, temperature: 1, seed: 7, maxTokens: 24, logprobs: { top: 5 } });
    const entries = result.logprobs ?? [];
    expect(entries).toHaveLength(result.completionTokens);
    expect(entries.map((entry) => entry.token).join("")).toBe(result.text);
    // The char model's tokens are characters: prompt and completion re-encode to the ids that ran.
    const ids = [...tokenizer.encode(prompt), ...tokenizer.encode(result.text)];
    const reference = await fullSequenceLogprobs(folder, ids);
    const promptLength = ids.length - entries.length;
    entries.forEach((entry, i) => {
      const row = reference[promptLength + i - 1] ?? [];
      expect(entry.logprob).toBeCloseTo(row[ids[promptLength + i] ?? 0] ?? 0, 4);
      const best = row
        .map((logprob, id) => ({ id, logprob }))
        .sort((a, b) => b.logprob - a.logprob)
        .slice(0, 5);
      expect(entry.top.map((top) => top.logprob)).toEqual(best.map((top): unknown => expect.closeTo(top.logprob, 4)));
      expect(entry.top.map((top) => top.token)).toEqual(best.map((top) => tokenizer.tokenText(top.id)));
    });
  });
});
