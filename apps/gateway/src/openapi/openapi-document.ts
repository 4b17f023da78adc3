import { z } from "zod";
import { chatCompletionRequest } from "../requests/chat-completion-request.ts";
import { completionRequest } from "../requests/completion-request.ts";
import { embeddingRequest } from "../requests/embedding-request.ts";
import { generateRequest } from "../requests/generate-request.ts";
import { ocrRequest } from "../requests/ocr-request.ts";
import { responseSchemas } from "./response-schemas.ts";
import { createBatchRequestSchema, filesAndBatchesPaths } from "./files-and-batches-paths.ts";

/** Request bodies, from the same zod schemas the gateway validates with. */
const requestSchema = (schema: z.ZodType) => z.toJSONSchema(schema, { io: "input", unrepresentable: "any" });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

const errorDescriptions = {
  "400": "Invalid request (the error names the parameter).",
  "401": "Missing, unknown, revoked or expired API key.",
  "403": "Key out of scope, or organization suspended.",
  "404": "Unknown model, or a model this endpoint does not serve.",
  "409": "Idempotency-Key reused with another body.",
  "413": "Body or image too large.",
  "402": "A spend budget of the key or organization is used up (`budget_exhausted`) until the period's end.",
  "429":
    "A rate limit (`rate_limit_exceeded`), the limit on requests in flight (`concurrency_limit_exceeded`), or too many unknown keys from one address.",
  "503": "No worker serves the model, or the queue is unavailable.",
  "504": "The model did not answer in time.",
};
const header = (description: string, type = "string") => ({ schema: { type }, description });
/** Sent with 429 and 402: when to try again. */
const retryHeaders = {
  "retry-after": header("Seconds until the limit lets a request through (or the budget's period ends).", "integer"),
  "retry-after-ms": header("The same in milliseconds (rate limits).", "integer"),
};
/** Sent with every admitted answer, for the tightest limit of the key and organization. */
export const rateLimitHeaders = Object.fromEntries(
  ["requests", "tokens"].flatMap((unit) => [
    [`x-ratelimit-limit-${unit}`, header(`The ${unit} allowed in the window.`, "integer")],
    [`x-ratelimit-remaining-${unit}`, header(`The ${unit} left in the window.`, "integer")],
    [
      `x-ratelimit-reset-${unit}`,
      header(`Until the window lets ${unit} again, as OpenAI writes it (\`6m0s\`, \`1.5s\`).`),
    ],
  ]),
);
const errorResponses = Object.fromEntries(
  Object.entries(errorDescriptions).map(([status, description]) => [
    status,
    {
      description,
      ...((status === "429" || status === "402") && { headers: retryHeaders }),
      content: { "application/json": { schema: ref("Error") } },
    },
  ]),
);

const idempotencyKey = {
  name: "Idempotency-Key",
  in: "header",
  required: false,
  description: "Repeats with the same key and body get the first answer (kept 24 h); another body gets 409.",
  schema: { type: "string", maxLength: 255 },
};

const jsonBody = (name: string) => ({ required: true, content: { "application/json": { schema: ref(name) } } });
const ok = (description: string, name: string, stream = false) => ({
  "200": {
    description,
    headers: {
      "x-request-id": header("The request id: quote it to support (the response's id is made from it)."),
      ...rateLimitHeaders,
    },
    content: {
      "application/json": { schema: ref(name) },
      ...(stream && {
        "text/event-stream": {
          schema: { type: "string" },
          description: "With stream: true, `data: {chunk}` events ending with `data: [DONE]`.",
        },
      }),
    },
  },
  ...errorResponses,
});

/** The public API in OpenAPI 3.1, served at /openapi.json and rendered at /docs. */
export function openApiDocument() {
  return {
    openapi: "3.1.0",
    info: {
      title: "aiaas public API",
      version: "1.0.0",
      description:
        "OpenAI-compatible: use the official openai clients with `baseURL` set to this server's `/v1` and a key from the console. Errors are `{error: {message, type, param, code}}` with OpenAI's status codes.",
    },
    servers: [{ url: "/", description: "this gateway" }],
    security: [{ bearer: [] }],
    paths: {
      "/v1/models": {
        get: {
          operationId: "listModels",
          summary: "The models this key may use",
          responses: ok("The models.", "ModelList"),
        },
      },
      "/v1/models/{model}": {
        get: {
          operationId: "retrieveModel",
          summary: "One model",
          parameters: [{ name: "model", in: "path", required: true, schema: { type: "string" } }],
          responses: ok("The model.", "Model"),
        },
      },
      "/v1/chat/completions": {
        post: {
          operationId: "createChatCompletion",
          summary: "Chat completion, waiting or streamed (SSE)",
          parameters: [idempotencyKey],
          requestBody: jsonBody("ChatCompletionRequest"),
          responses: ok("The completion; with stream: true, chat.completion.chunk events.", "ChatCompletion", true),
        },
      },
      "/v1/completions": {
        post: {
          operationId: "createCompletion",
          summary: "Text completion (legacy), waiting or streamed",
          parameters: [idempotencyKey],
          requestBody: jsonBody("CompletionRequest"),
          responses: ok("The completion.", "Completion", true),
        },
      },
      "/v1/embeddings": {
        post: {
          operationId: "createEmbedding",
          summary: "Embeddings (float arrays, or base64 of little-endian float32)",
          parameters: [idempotencyKey],
          requestBody: jsonBody("EmbeddingRequest"),
          responses: ok("The embeddings.", "EmbeddingList"),
        },
      },
      "/v1/ocr": {
        post: {
          operationId: "createOcr",
          summary: "Text in an image: lines with boxes and confidences (ours, not OpenAI's)",
          parameters: [idempotencyKey],
          requestBody: {
            required: true,
            content: {
              "application/json": { schema: ref("OcrRequest") },
              "multipart/form-data": {
                schema: {
                  type: "object",
                  required: ["model", "file"],
                  properties: {
                    model: { type: "string" },
                    file: { type: "string", contentMediaType: "application/octet-stream" },
                  },
                },
              },
            },
          },
          responses: ok("The text found.", "Ocr"),
        },
      },
      "/v1/generate": {
        post: {
          operationId: "generate",
          summary: "The plain form for scripts: model, prompt and max_tokens from the query string or a JSON body",
          parameters: ["model", "prompt", "max_tokens", "temperature", "seed"].map((name) => ({
            name,
            in: "query",
            required: false,
            schema: { type: name === "model" || name === "prompt" ? "string" : "number" },
          })),
          requestBody: { required: false, content: { "application/json": { schema: ref("GenerateRequest") } } },
          responses: ok("The generated text.", "Generated"),
        },
      },
      ...filesAndBatchesPaths,
    },
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer", description: "An API key from the console." } },
      schemas: {
        ChatCompletionRequest: requestSchema(chatCompletionRequest),
        CompletionRequest: requestSchema(completionRequest),
        EmbeddingRequest: requestSchema(embeddingRequest),
        OcrRequest: requestSchema(ocrRequest),
        GenerateRequest: requestSchema(generateRequest),
        CreateBatchRequest: createBatchRequestSchema(),
        ...Object.fromEntries(Object.entries(responseSchemas).map(([name, schema]) => [name, z.toJSONSchema(schema)])),
      },
    },
  };
}
