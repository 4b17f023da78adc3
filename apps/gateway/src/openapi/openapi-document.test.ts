import { describe, expect, it } from "vitest";
import { openApiDocument } from "./openapi-document.ts";

describe("the OpenAPI description", () => {
  const document = openApiDocument();

  it("is OpenAPI 3.1 with every public endpoint", () => {
    expect(document.openapi).toBe("3.1.0");
    expect(Object.keys(document.paths).sort()).toEqual([
      "/v1/batches",
      "/v1/batches/{batch_id}",
      "/v1/batches/{batch_id}/cancel",
      "/v1/chat/completions",
      "/v1/completions",
      "/v1/embeddings",
      "/v1/files",
      "/v1/files/{file_id}",
      "/v1/files/{file_id}/content",
      "/v1/generate",
      "/v1/models",
      "/v1/models/{model}",
      "/v1/ocr",
    ]);
  });

  it("describes request bodies from the validating schemas, and resolves every reference", () => {
    const chat = document.components.schemas.ChatCompletionRequest as { required?: string[]; properties?: object };
    expect(chat.required).toEqual(expect.arrayContaining(["model", "messages"]));
    expect(Object.keys(chat.properties ?? {})).toContain("stream_options");
    const refs = [...JSON.stringify(document).matchAll(/"#\/components\/schemas\/(\w+)"/g)].map((match) => match[1]);
    for (const name of new Set(refs)) expect(document.components.schemas, name).toHaveProperty(name ?? "");
  });

  it("describes the limits' refusals (402, 429) with their retry headers, and the rate-limit headers of every answer", () => {
    const chat = document.paths["/v1/chat/completions"].post.responses as Record<
      string,
      { headers?: Record<string, unknown> }
    >;
    expect(Object.keys(chat)).toEqual(expect.arrayContaining(["200", "402", "429"]));
    expect(Object.keys(chat["429"]?.headers ?? {})).toEqual(["retry-after", "retry-after-ms"]);
    expect(Object.keys(chat["402"]?.headers ?? {})).toContain("retry-after");
    expect(Object.keys(chat["200"]?.headers ?? {})).toEqual(
      expect.arrayContaining(["x-request-id", "x-ratelimit-remaining-requests", "x-ratelimit-reset-tokens"]),
    );
  });
});
