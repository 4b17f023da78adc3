import { z } from "zod";

/**
 * Our manifest beside a model folder in the Hugging Face layout
 * (config.json, tokenizer.json, onnx/model.onnx): what the loader needs to
 * serve it that the Hugging Face files do not say.
 */
export const modelManifest = z.object({
  /** Public model name, e.g. "kjv-gpt-mini". */
  id: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,62}$/, "model ids are lowercase letters, digits, dots and hyphens"),
  task: z.enum(["chat", "completion", "embedding", "ocr", "echo"]),
  /** Path of the ONNX graph inside the folder. */
  onnx: z.string().default("onnx/model.onnx"),
  contextLength: z.number().int().positive().optional(),
  /** Sentence embedders: how token states become one vector. */
  pooling: z.enum(["mean", "cls", "last"]).optional(),
  normalize: z.boolean().default(true),
  license: z.string().min(1),
});
export type ModelManifest = z.infer<typeof modelManifest>;

export const MANIFEST_FILE = "aiaas.json";
