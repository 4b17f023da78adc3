import { describe, expect, it } from "vitest";
import { ApiError } from "../openai-error.ts";
import { chatCompletionRequest } from "./chat-completion-request.ts";
import { embeddingRequest } from "./embedding-request.ts";
import { generateRequest } from "./generate-request.ts";
import { parseRequest } from "./parse-request.ts";

const chat = { model: "kjv-gpt-mini", messages: [{ role: "user", content: "And" }] };

/** The refusal parseRequest throws for a body: its message and param. */
function refusal(schema: Parameters<typeof parseRequest>[0], body: unknown) {
  try {
    parseRequest(schema, body);
  } catch (error) {
    if (error instanceof ApiError) return { status: error.status, message: error.message, param: error.param };
    throw error;
  }
  throw new Error("the body was accepted");
}

describe("parseRequest's messages", () => {
  it("says a parameter of the wrong type is the wrong type, not that it is missing", () => {
    expect(refusal(chatCompletionRequest, { ...chat, temperature: "hot" })).toEqual({
      status: 400,
      message: "Invalid value for 'temperature': expected a number, got a string.",
      param: "temperature",
    });
    expect(refusal(chatCompletionRequest, { ...chat, stream: "yes" }).message).toBe(
      "Invalid value for 'stream': expected a boolean (true or false), got a string.",
    );
    expect(refusal(chatCompletionRequest, { ...chat, stream: true, stream_options: { include_usage: 1 } })).toEqual({
      status: 400,
      message: "Invalid value for 'stream_options.include_usage': expected a boolean (true or false), got a number.",
      param: "stream_options.include_usage",
    });
  });

  it("says a parameter that is absent is missing", () => {
    expect(refusal(chatCompletionRequest, { messages: chat.messages })).toEqual({
      status: 400,
      message: "Missing required parameter: 'model'.",
      param: "model",
    });
    expect(refusal(chatCompletionRequest, { ...chat, messages: [{ content: "And" }] })).toEqual({
      status: 400,
      message: "Missing required parameter: 'messages[0].role'.",
      param: "messages[0].role",
    });
  });

  it("words bounds in plain terms where a schema has no message of its own", () => {
    expect(refusal(chatCompletionRequest, { ...chat, presence_penalty: 5 }).message).toBe(
      "Invalid value for 'presence_penalty': must be at most 2.",
    );
    expect(refusal(chatCompletionRequest, { ...chat, user: "u".repeat(300) }).message).toBe(
      "Invalid value for 'user': must be at most 256 characters long.",
    );
    expect(refusal(chatCompletionRequest, { ...chat, metadata: 5 }).message).toBe(
      "Invalid value for 'metadata': expected an object, got a number.",
    );
    expect(refusal(chatCompletionRequest, { ...chat, stop: "" }).message).toBe(
      "Invalid value for 'stop': must not be empty.",
    );
    expect(refusal(embeddingRequest, { model: "kjv-embed-mini", input: "x", dimensions: 0 }).message).toBe(
      "Invalid value for 'dimensions': must be at least 1.",
    );
  });

  it("keeps a schema's own message", () => {
    expect(refusal(chatCompletionRequest, { ...chat, temperature: 3 }).message).toBe(
      "Invalid value for 'temperature': must be between 0 and 2.",
    );
    expect(refusal(generateRequest, { model: "kjv-gpt-mini", prompt: "x", temperature: 9 }).message).toBe(
      "Invalid value for 'temperature': must be between 0 and 2.",
    );
    expect(refusal(generateRequest, { model: "kjv-gpt-mini", prompt: "x", max_tokens: "many" }).message).toBe(
      "Invalid value for 'max_tokens': expected an integer.",
    );
    expect(refusal(generateRequest, { model: "kjv-gpt-mini", prompt: "x", max_tokens: 200_000 }).message).toBe(
      "Invalid value for 'max_tokens': must be at most 100000.",
    );
  });
});
