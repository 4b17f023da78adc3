import type { FastifyError, FastifyRequest } from "fastify";

export interface Refusal {
  status: number;
  message: string;
  code: string;
}

const mebibytes = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MiB`;

/** A body over the limit, whether declared (Content-Length, refused before reading) or found while reading. */
export const bodyTooLarge = (limit: number): Refusal => ({
  status: 413,
  message: `The request body is larger than the ${mebibytes(limit)} this API accepts.`,
  code: "body_too_large",
});

/**
 * Fastify's own refusals (a URL it cannot decode, a body it cannot parse),
 * worded for callers of the public API and given codes of ours instead of
 * Fastify's internal ones. Undefined for any other error.
 */
export function fastifyRefusal(error: FastifyError, request: FastifyRequest): Refusal | undefined {
  const contentType = request.headers["content-type"];
  switch (error.code) {
    case "FST_ERR_BAD_URL":
      return {
        status: 400,
        message: `The request URL '${request.url}' is not valid: a '%' must start a percent-encoded byte.`,
        code: "invalid_url",
      };
    case "FST_ERR_CTP_INVALID_JSON_BODY":
      return {
        status: 400,
        message:
          "We could not parse the JSON body of your request. Send one JSON object (content-type: application/json).",
        code: "invalid_json",
      };
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
      return {
        status: 400,
        message: "The request body is empty. Send one JSON object (content-type: application/json).",
        code: "invalid_json",
      };
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return {
        status: 415,
        message:
          `Unsupported content-type '${contentType ?? ""}'. Send JSON (application/json); ` +
          "/v1/ocr also takes an image as multipart/form-data.",
        code: "unsupported_media_type",
      };
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return bodyTooLarge(request.routeOptions.bodyLimit);
    case "FST_ERR_CTP_INVALID_CONTENT_LENGTH":
      return {
        status: 400,
        message: "The request body's size does not match its Content-Length header.",
        code: "invalid_content_length",
      };
    default:
      return undefined;
  }
}
