import { imageSize } from "image-size";
import { z } from "zod";
import { ApiError } from "../openai-error.ts";
import { modelField } from "./generation-fields.ts";

/** Decoded images above this are refused before they reach a worker. */
export const MAX_IMAGE_BYTES = 10 * 1024 * 1024;
/** The OCR worker's decoder refuses larger images (sharp-image.ts): refused here first. */
const MAX_IMAGE_PIXELS = 64_000_000;

export const ocrRequest = z.strictObject({
  model: modelField,
  image: z.string({ error: "expected the image as base64 or a data: URL" }).min(1, "must not be empty"),
});
export type OcrRequest = z.infer<typeof ocrRequest>;

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const DATA_URL = /^data:image\/[a-z0-9.+-]+;base64,/i;

/** Magic numbers of the formats the OCR worker decodes. */
const signatures: readonly (readonly number[])[] = [
  [0x89, 0x50, 0x4e, 0x47], // PNG
  [0xff, 0xd8, 0xff], // JPEG
  [0x47, 0x49, 0x46, 0x38], // GIF
  [0x52, 0x49, 0x46, 0x46], // RIFF (WebP)
  [0x49, 0x49, 0x2a, 0x00], // TIFF, little-endian
  [0x4d, 0x4d, 0x00, 0x2a], // TIFF, big-endian
  [0x42, 0x4d], // BMP
];
const isImage = (bytes: Buffer) =>
  signatures.some((signature) => signature.every((byte, i) => bytes[i] === byte)) ||
  bytes.subarray(4, 8).toString("latin1") === "ftyp"; // AVIF / HEIF

/** The image's dimensions from its header, or why it has none (a cheap check: no pixel is decoded). */
function dimensions(bytes: Buffer): { width: number; height: number } | string {
  try {
    const { width, height } = imageSize(bytes);
    return { width, height };
  } catch (error) {
    return (error as Error).message;
  }
}

/**
 * Checks an image's bytes (its format's magic number, then the dimensions
 * its header declares) and returns them as the base64 the worker takes: an
 * upload that cannot be an image never reaches Redis or a worker.
 */
export function imageBase64(bytes: Buffer, param = "image"): string {
  if (bytes.length === 0) throw new ApiError(400, "The image is empty.", "invalid_image", param);
  if (bytes.length > MAX_IMAGE_BYTES)
    throw new ApiError(
      413,
      `The image is ${bytes.length} bytes; at most ${MAX_IMAGE_BYTES} are accepted.`,
      "image_too_large",
      param,
    );
  if (!isImage(bytes))
    throw new ApiError(400, "The image is not a PNG, JPEG, WebP, GIF, TIFF, BMP or AVIF file.", "invalid_image", param);
  const size = dimensions(bytes);
  if (typeof size === "string")
    throw new ApiError(400, `The image cannot be read: its header is damaged (${size}).`, "invalid_image", param);
  if (size.width < 1 || size.height < 1)
    throw new ApiError(400, "The image cannot be read: its header declares no pixels.", "invalid_image", param);
  if (size.width * size.height > MAX_IMAGE_PIXELS)
    throw new ApiError(
      413,
      `The image is ${size.width}×${size.height} pixels; at most ${MAX_IMAGE_PIXELS / 1_000_000} million are read.`,
      "image_too_large",
      param,
    );
  return bytes.toString("base64");
}

/** The image of a JSON request: base64, or a data: URL holding base64. */
export function decodeImageField(value: string): Buffer {
  const encoded = value.replace(DATA_URL, "").replace(/\s+/g, "");
  if (!BASE64.test(encoded) || encoded.length % 4 === 1)
    throw new ApiError(
      400,
      "Invalid value for 'image': expected base64 or a data: URL of an image.",
      "invalid_image",
      "image",
    );
  return Buffer.from(encoded, "base64");
}
