import { describe, expect, it } from "vitest";
import { InferenceInputError } from "../errors.ts";
import { helloWorldPng } from "../testing/zoo.ts";
import { ECHO_DIMENSIONS, EchoModel } from "./echo-model.ts";

const echo = new EchoModel();

describe("the echo model", () => {
  it("repeats a prompt word by word, streamed, up to max_tokens", async () => {
    const deltas: string[] = [];
    const whole = await echo.generate({ prompt: "In the beginning God created" }, { onText: (d) => deltas.push(d) });
    expect(whole).toEqual({
      text: "In the beginning God created",
      finishReason: "stop",
      promptTokens: 5,
      completionTokens: 5,
    });
    expect(deltas).toEqual(["In ", "the ", "beginning ", "God ", "created"]);
    const cut = await echo.generate({ prompt: "In the beginning God created", maxTokens: 2 });
    expect(cut).toMatchObject({ text: "In the ", finishReason: "length", completionTokens: 2 });
  });

  it("answers a chat with its last user message, counting every message", async () => {
    const result = await echo.generate({
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "first" },
        { role: "assistant", content: "first" },
        { role: "user", content: "and the second" },
      ],
    });
    expect(result.text).toBe("and the second");
    expect(result.promptTokens).toBe(2 + 1 + 1 + 1 + 1 + 1 + 1 + 3);
  });

  it("stops where a request is cancelled", async () => {
    const controller = new AbortController();
    const result = await echo.generate(
      { prompt: "one two three four" },
      { signal: controller.signal, onText: (delta) => delta === "two " && controller.abort() },
    );
    expect(result).toMatchObject({ text: "one two ", finishReason: "cancelled", completionTokens: 2 });
  });

  it("embeds the same text as the same unit vector, other text otherwise", async () => {
    const { vectors, promptTokens } = await echo.embed(["alpha beta", "alpha beta", "gamma"]);
    expect(promptTokens).toBe(5);
    const [a, b, c] = vectors.map((vector) => [...vector]);
    expect(a).toHaveLength(ECHO_DIMENSIONS);
    expect(a).toEqual(b);
    expect(c).not.toEqual(a);
    expect(Math.hypot(...(a ?? []))).toBeCloseTo(1, 5);
  });

  it("reads back an image's format, size and hash, and refuses what is not an image", async () => {
    const result = await echo.read(await helloWorldPng());
    expect(result.text).toMatch(/^png \d+x\d+ sha256:[0-9a-f]{16}$/);
    expect(result.lines).toEqual([{ text: result.text, confidence: 1, box: expect.any(Array) as unknown }]);
    expect(result.width).toBeGreaterThan(0);
    await expect(echo.read(new TextEncoder().encode("not an image"))).rejects.toBeInstanceOf(InferenceInputError);
  });
});
