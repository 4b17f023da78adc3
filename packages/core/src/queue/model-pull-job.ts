import { z } from "zod";
import type { JobsOptions } from "bullmq";
import { modelSlug, versionName } from "../models/model-name.ts";

const micros = z
  .string()
  .regex(/^\d{1,13}$/, "micro-units")
  .optional();

/**
 * A pull asked for in the console, run by a worker (it has the model
 * store): a hub id on the workers' own hub (HF_ENDPOINT) and nothing else,
 * no URL and no path, so the console cannot make a server fetch an address
 * or read a folder of the requester's choosing. Fields added later must be
 * optional.
 */
export const modelPullJob = z.object({
  v: z.literal(1),
  hubId: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,95}\/[A-Za-z0-9][A-Za-z0-9._-]{0,95}$/, "owner/name"),
  revision: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._/-]{0,99}$/, "a branch, tag or commit")
    .refine((revision) => !revision.split("/").includes(".."), "a branch, tag or commit")
    .optional(),
  id: modelSlug.optional(),
  version: versionName.optional(),
  /** The price of a model new to the catalogue, in micro-units per 1K tokens or per image. */
  prices: z.object({ input: micros, output: micros, image: micros }).default({}),
  /** Who asked: the registration is audited as them. */
  actor: z.object({ type: z.literal("operator"), id: z.string().nullable(), label: z.string() }),
  requestId: z.string().nullable().optional(),
});
export type ModelPullJob = z.infer<typeof modelPullJob>;

/** How far a pull has come, as the console shows it. */
export const modelPullProgress = z.object({
  stage: z.enum(["download", "check"]),
  received: z.number().int().min(0),
  total: z.number().int().min(0),
  file: z.string().optional(),
});
export type ModelPullProgress = z.infer<typeof modelPullProgress>;

/** A finished pull's record: what it registered. */
export const modelPullResult = z.object({
  slug: z.string(),
  version: z.string(),
  outcome: z.string(),
  aliases: z.array(z.string()),
  variants: z.array(z.object({ version: z.string(), aliases: z.array(z.string()) })),
  bytes: z.number(),
});
export type ModelPullResult = z.infer<typeof modelPullResult>;

/** Once: a failed download resumes when asked again (files already checked stay). Kept a week for the console. */
export const modelPullJobOptions = {
  attempts: 1,
  removeOnComplete: { age: 7 * 24 * 3600, count: 100 },
  removeOnFail: { age: 7 * 24 * 3600, count: 100 },
} as const satisfies JobsOptions;
