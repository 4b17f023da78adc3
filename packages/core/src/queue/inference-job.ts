import { z } from "zod";
import type { JobsOptions } from "bullmq";
import { traceCarrier } from "../telemetry/trace-context.ts";

/** What a model queue's jobs ask for; the model's task decides which apply. */
export const inferenceTasks = ["embedding", "completion", "chat", "ocr"] as const;
export type InferenceTask = (typeof inferenceTasks)[number];

const modelId = z.string().regex(/^[a-z0-9][a-z0-9.-]{1,62}$/, "not a model id");

/**
 * The job payload on a model's queue: ids, the tenant and ciphertext only.
 * `input` is the task's input (below) as JSON, sealed with the tenant's data
 * key for `${requestId}:input`. Fields added later must be optional, so that
 * workers and gateways of two releases can share a queue during a deploy.
 */
export const inferenceJob = z.object({
  v: z.literal(1),
  requestId: z.string().regex(/^req_[A-Za-z0-9]+$/, "not a request id"),
  tenantId: z.string().regex(/^ten_[A-Za-z0-9]+$/, "not a tenant id"),
  model: modelId,
  task: z.enum(inferenceTasks),
  /** The version to run: the SHA-256 of its files (docs/models.md); absent, the worker's first version of the model. */
  version: z
    .string()
    .regex(/^[0-9a-f]{64}$/, "not a version digest")
    .optional(),
  input: z.string().min(1).describe("base64 of the sealed JSON input"),
  /** Relay text as it is generated, on the request's token stream. */
  stream: z.boolean().optional(),
  /** A line of a batch (the Batches API): the worker runs it only when the model has no interactive work (batch-gate.ts). */
  batch: z.boolean().optional(),
  enqueuedAt: z.number().int().positive(),
  /** After this the caller has given up: the job is dropped, not run. */
  deadlineAt: z.number().int().positive().optional(),
  /** The channel its end is published on, for the process waiting for it (job-replies.ts). */
  replyTo: z.string().optional(),
  /** The gateway's trace context (W3C), when tracing is on: the worker's spans join the request's trace. */
  trace: traceCarrier.optional(),
  /** The hash of the API key that made the request: a worker refuses it if the key was revoked while it waited. */
  keyHash: z
    .string()
    .regex(/^[0-9a-f]{64}$/, "not a key hash")
    .optional(),
  /** Attempts made before this job (a member of a group retried alone): a stream's next attempt restarts it. */
  attemptsBefore: z.number().int().min(0).max(16).optional(),
});
export type InferenceJob = z.infer<typeof inferenceJob>;

const generation = z.object({
  maxTokens: z.number().int().positive().optional(),
  temperature: z.number().min(0).max(2).optional(),
  topP: z.number().gt(0).max(1).optional(),
  stop: z.array(z.string().min(1)).max(4).optional(),
  seed: z.number().int().optional(),
  presencePenalty: z.number().min(-2).max(2).optional(),
  frequencyPenalty: z.number().min(-2).max(2).optional(),
  /** Token id (a decimal string) → bias, -100..100. */
  logitBias: z.record(z.string().regex(/^\d{1,9}$/), z.number().min(-100).max(100)).optional(),
  /** Choices to generate, each sampled on its own (seed + i for choice i when a seed is given). */
  n: z.number().int().min(1).max(128).optional(),
  /** Each token's log probability, with this many alternatives (OpenAI's logprobs / top_logprobs). */
  logprobs: z.object({ top: z.number().int().min(0).max(20) }).optional(),
});

/** Structured output (chat): JSON, any object or a schema's document, by constrained decoding. */
const responseFormat = z.union([
  z.object({ type: z.literal("json_object") }),
  z.object({ type: z.literal("json_schema"), schema: z.unknown() }),
]);

/** The decrypted inputs, per task. */
export const inferenceInputs = {
  embedding: z.object({ input: z.array(z.string()).min(1).max(2048) }),
  completion: generation.extend({ prompt: z.string() }),
  chat: generation.extend({
    messages: z.array(z.object({ role: z.string().min(1), content: z.string() })).min(1),
    responseFormat: responseFormat.optional(),
  }),
  ocr: z.object({ image: z.string().min(1).describe("base64 of a PNG, JPEG, WebP, GIF, AVIF or TIFF image") }),
} as const satisfies Record<InferenceTask, z.ZodType>;
export type InferenceInput<T extends InferenceTask> = z.infer<(typeof inferenceInputs)[T]>;

const point = z.tuple([z.number(), z.number()]);
const alternative = z.object({ token: z.string(), logprob: z.number() });
const choice = z.object({
  text: z.string(),
  finishReason: z.enum(["stop", "length", "cancelled"]),
  logprobs: z.array(alternative.extend({ top: z.array(alternative) })).optional(),
});
/** A generation: its first choice, and with n > 1 every choice in order (the first again). */
const generated = choice.extend({ choices: z.array(choice).optional() });
export type GeneratedChoice = z.infer<typeof choice>;

/** The decrypted outputs, per task. Embeddings are base64 of little-endian float32. */
export const inferenceOutputs = {
  embedding: z.object({ embeddings: z.array(z.string()) }),
  completion: generated,
  chat: generated,
  ocr: z.object({
    text: z.string(),
    width: z.number().int(),
    height: z.number().int(),
    lines: z.array(z.object({ text: z.string(), confidence: z.number(), box: z.array(point) })),
  }),
} as const satisfies Record<InferenceTask, z.ZodType>;
export type InferenceOutput<T extends InferenceTask> = z.infer<(typeof inferenceOutputs)[T]>;

/** A job's return value: the sealed output, and what it used (never text). */
export const inferenceResult = z.object({
  v: z.literal(1),
  output: z.string().describe("base64 of the sealed JSON output"),
  usage: z.object({
    promptTokens: z.number().int().min(0),
    completionTokens: z.number().int().min(0),
    images: z.number().int().min(0),
  }),
  timing: z.object({ queueMs: z.number().min(0), inferenceMs: z.number().min(0) }),
  workerId: z.string(),
});
export type InferenceResult = z.infer<typeof inferenceResult>;

/**
 * What BullMQ keeps as a finished job's return value: its usage and timing,
 * not its sealed output, which goes to the waiting gateway by the reply only.
 */
export type JobReceipt = Omit<InferenceResult, "output">;
export const jobReceipt = ({ output: _output, ...receipt }: InferenceResult): JobReceipt => receipt;

/** A finished job's data as kept: ids and the task, without its sealed input. */
export const withoutInput = ({ input: _input, ...kept }: InferenceJob) => kept;

/**
 * Transient faults retry with backoff; bad input fails at once
 * (UnrecoverableError). Finished jobs are kept a while, by count and age,
 * without their payloads (the worker drops the sealed input as a job ends;
 * the output never stays): Redis holds ids, states and error codes only.
 */
export const inferenceJobOptions = {
  attempts: 3,
  backoff: { type: "exponential", delay: 250 },
  removeOnComplete: { age: 3600, count: 1_000 },
  removeOnFail: { age: 24 * 3600, count: 1_000 },
} as const satisfies JobsOptions;

/** Associated data for a request's sealed payloads (bound to the tenant by the keyring). */
export const payloadContext = (requestId: string, purpose: "input" | "output") => `${requestId}:${purpose}`;
