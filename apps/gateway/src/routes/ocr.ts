import { createHash } from "node:crypto";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type {} from "@fastify/multipart";
import { resolveModel } from "../directory/resolve-model.ts";
import { ApiError } from "../openai-error.ts";
import { decodeImageField, imageBase64, MAX_IMAGE_BYTES, ocrRequest } from "../requests/ocr-request.ts";
import { parseRequest } from "../requests/parse-request.ts";
import { callerOf } from "../auth/authenticate.ts";
import type { RouteContext } from "./route-context.ts";

/** The model and image of a JSON body, or of a multipart form with fields `model` and `file` (or `image`). */
async function readOcrRequest(request: FastifyRequest): Promise<{ model: string; image: string }> {
  if (!request.isMultipart()) {
    const body = parseRequest(ocrRequest, request.body);
    return { model: body.model, image: imageBase64(decodeImageField(body.image)) };
  }
  try {
    return await readMultipart(request);
  } catch (error) {
    if (error instanceof ApiError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new ApiError(400, `The multipart body could not be read: ${reason}.`, "invalid_body");
  }
}

async function readMultipart(request: FastifyRequest): Promise<{ model: string; image: string }> {
  let model: string | undefined;
  let image: string | undefined;
  for await (const part of request.parts({ limits: { fileSize: MAX_IMAGE_BYTES, files: 1, fields: 4 } })) {
    if (part.type === "file") {
      if (part.fieldname !== "file" && part.fieldname !== "image") {
        throw new ApiError(
          400,
          `Unexpected file field '${part.fieldname}': send the image as 'file'.`,
          "invalid_value",
          part.fieldname,
        );
      }
      const bytes = await part.toBuffer();
      if (part.file.truncated) {
        throw new ApiError(413, `The image is larger than ${MAX_IMAGE_BYTES} bytes.`, "image_too_large", "file");
      }
      image = imageBase64(bytes, "file");
    } else if (part.fieldname === "model" && typeof part.value === "string") {
      model = part.value.trim();
    }
  }
  if (!model) throw new ApiError(400, "Missing required parameter: 'model'.", "invalid_value", "model");
  if (!image) throw new ApiError(400, "Missing required parameter: 'file' (the image).", "invalid_value", "file");
  return { model, image };
}

/** POST /v1/ocr (ours): text lines with boxes and confidences. */
export function registerOcrRoutes(app: FastifyInstance, ctx: RouteContext) {
  app.post("/v1/ocr", { config: { scope: "ocr:write" } }, async (request, reply) => {
    const caller = callerOf(request);
    const { slug, image, model } = await ctx.validate(request, caller, async () => {
      const { model: slug, image } = await readOcrRequest(request);
      return { slug, image, model: await resolveModel(ctx.directory, caller, slug, "ocr") };
    });
    const { meta, completed } = await ctx.inference.answer(request, reply, {
      caller,
      endpoint: "/v1/ocr",
      model,
      task: "ocr",
      input: { image },
      // Idempotency and storage (while retained) see the image's fingerprint, not the image.
      body: { model: slug, image: { sha256: createHash("sha256").update(image).digest("hex") } },
      promptTokens: 0,
      maxOutputTokens: 0,
      images: 1,
    });
    const { text, width, height, lines } = completed.output;
    return {
      id: meta.requestId,
      object: "ocr",
      created: meta.created,
      model: meta.model,
      text,
      width,
      height,
      lines,
      usage: { images: completed.result.usage.images },
    };
  });
}
