import { createHash } from "node:crypto";
import sharp, { type Metadata } from "sharp";
import { invalidImage } from "../errors.ts";
import type { EmbeddingResult } from "./embedding-model.ts";
import type { GenerationCallbacks, GenerationRequest, GenerationResult } from "./generation/decoder-model.ts";
import type { OcrResult } from "./ocr/ocr-model.ts";

/** Length of an echo embedding. */
export const ECHO_DIMENSIONS = 16;

/** The echo model's tokens: each word with the whitespace after it. Never more than characters. */
const tokensOf = (text: string) => text.match(/\S+\s*/g) ?? [];

/** A unit vector drawn from the text's SHA-256: the same text, the same vector. */
function vectorOf(text: string): Float32Array {
  const digest = createHash("sha256").update(text).digest();
  const vector = new Float32Array(ECHO_DIMENSIONS);
  let norm = 0;
  for (let i = 0; i < ECHO_DIMENSIONS; i++) {
    const value = digest.readInt16BE(i * 2) / 32768;
    vector[i] = value;
    norm += value * value;
  }
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  for (let i = 0; i < ECHO_DIMENSIONS; i++) vector[i] = (vector[i] ?? 0) * scale;
  return vector;
}

/**
 * The diagnostic model: it runs no graph and answers at once, deterministically
 * from its input, through the same queue, encryption and usage as any model:
 * a completion repeats the prompt (a chat, the last user message) up to
 * max_tokens words; an embedding is a unit vector drawn from the text's hash;
 * OCR reads back the image's size, format and hash. Sampling settings do not
 * change it. It is how an installation is load-tested without paying for
 * inference.
 */
export class EchoModel {
  readonly task = "echo" as const;
  readonly stats = { requests: 0 };

  async embed(inputs: string[]): Promise<EmbeddingResult> {
    this.stats.requests++;
    return {
      vectors: inputs.map(vectorOf),
      promptTokens: inputs.reduce((sum, input) => sum + Math.max(1, tokensOf(input).length), 0),
    };
  }

  async generate(request: GenerationRequest, callbacks: GenerationCallbacks = {}): Promise<GenerationResult> {
    this.stats.requests++;
    const messages = request.messages ?? [];
    const prompt = request.prompt ?? messages.findLast((message) => message.role === "user")?.content ?? "";
    const promptTokens = request.prompt
      ? tokensOf(request.prompt).length
      : messages.reduce((sum, message) => sum + 1 + tokensOf(message.content).length, 0);
    const tokens = tokensOf(prompt);
    const limit = Math.min(tokens.length, request.maxTokens ?? tokens.length);
    let text = "";
    for (let i = 0; i < limit; i++) {
      if (callbacks.signal?.aborted) {
        return { text, finishReason: "cancelled", promptTokens, completionTokens: i };
      }
      const token = tokens[i] ?? "";
      text += token;
      callbacks.onText?.(token);
    }
    return {
      text,
      finishReason: limit < tokens.length ? "length" : "stop",
      promptTokens,
      completionTokens: limit,
    };
  }

  async read(image: Uint8Array): Promise<OcrResult> {
    this.stats.requests++;
    let metadata: Metadata;
    try {
      metadata = await sharp(image).metadata();
    } catch (error) {
      throw invalidImage(error as Error);
    }
    const { width = 0, height = 0, format = "image" } = metadata;
    const text = `${format} ${width}x${height} sha256:${createHash("sha256").update(image).digest("hex").slice(0, 16)}`;
    const box: OcrResult["lines"][number]["box"] = [
      [0, 0],
      [width, 0],
      [width, height],
      [0, height],
    ];
    return { text, lines: [{ text, confidence: 1, box }], width, height };
  }

  async release() {}
}
