/**
 * A request the model cannot serve as given: an unknown model, a prompt
 * longer than the context, an image that does not decode. Retrying cannot
 * help, so the worker fails such jobs at once; the gateway answers 400/404.
 */
export class InferenceInputError extends Error {
  override name = "InferenceInputError";
  constructor(
    readonly code: InferenceInputErrorCode,
    message: string,
    readonly param?: string,
  ) {
    super(message);
  }
}

export type InferenceInputErrorCode =
  "model_not_found" | "unsupported_task" | "context_length_exceeded" | "invalid_image" | "invalid_input";

/** An upload that is not an image we can read. */
export const invalidImage = (error: Error) =>
  new InferenceInputError(
    "invalid_image",
    `The image could not be decoded (${error.message}). Send a PNG, JPEG, WebP, GIF, AVIF or TIFF image.`,
    "image",
  );
