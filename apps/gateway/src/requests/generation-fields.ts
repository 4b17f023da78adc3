import { z } from "zod";

/** The most choices (`n`) one request may ask for: each is generated, and reserved against the limits, in full. */
export const MAX_CHOICES = 8;

export const modelField = z.string({ error: "expected a model id string" }).trim().min(1, "must not be empty");

/** Sampling fields shared by completions, chat completions and generate. */
export const samplingFields = {
  max_tokens: z.number().int("expected an integer").min(1, "must be at least 1").max(100_000).nullish(),
  temperature: z.number().min(0, "must be between 0 and 2").max(2, "must be between 0 and 2").nullish(),
  top_p: z.number().gt(0, "must be in (0, 1]").max(1, "must be in (0, 1]").nullish(),
  stop: z
    .union([
      z.string().min(1),
      z.array(z.string().min(1, "stop sequences must not be empty")).max(4, "at most 4 stop sequences"),
    ])
    .nullish(),
  seed: z.number().int("expected an integer").nullish(),
  n: z
    .number()
    .int("expected an integer")
    .min(1, "must be at least 1")
    .max(MAX_CHOICES, `at most ${MAX_CHOICES} choices`)
    .nullish(),
  stream: z.boolean().nullish(),
  stream_options: z
    .strictObject({ include_usage: z.boolean().optional(), include_obfuscation: z.boolean().optional() })
    .nullish(),
  user: z.string().max(256).optional(),
  presence_penalty: z.number().min(-2).max(2).nullish(),
  frequency_penalty: z.number().min(-2).max(2).nullish(),
  logit_bias: z
    .record(
      z.string().regex(/^\d{1,9}$/, "keys are token ids"),
      z.number().min(-100, "biases are between -100 and 100").max(100, "biases are between -100 and 100"),
    )
    .refine((bias) => Object.keys(bias).length <= 300, "at most 300 token ids")
    .nullish(),
  metadata: z.record(z.string(), z.string()).nullish(),
  store: z.boolean().nullish(),
  service_tier: z.string().nullish(),
};

export interface SamplingRequest {
  max_tokens?: number | null;
  temperature?: number | null;
  top_p?: number | null;
  stop?: string | string[] | null;
  seed?: number | null;
  presence_penalty?: number | null;
  frequency_penalty?: number | null;
  logit_bias?: Record<string, number> | null;
  n?: number | null;
}

/** The worker's generation options from an OpenAI request. */
export function generationOptions(body: SamplingRequest, maxTokens = body.max_tokens) {
  return {
    maxTokens: maxTokens ?? undefined,
    temperature: body.temperature ?? undefined,
    topP: body.top_p ?? undefined,
    stop: body.stop == null ? undefined : typeof body.stop === "string" ? [body.stop] : body.stop,
    seed: body.seed ?? undefined,
    presencePenalty: body.presence_penalty ?? undefined,
    frequencyPenalty: body.frequency_penalty ?? undefined,
    logitBias: body.logit_bias ?? undefined,
    n: body.n ?? undefined,
  };
}

/** What a stream carries: one choice's text (several choices, and log probabilities, come whole). */
export const streamCarriesOneChoice: [
  (body: { stream?: boolean | null; n?: number | null; logprobs?: unknown }) => boolean,
  { message: string; path: PropertyKey[] },
] = [
  (body) => !body.stream || ((body.n ?? 1) === 1 && (body.logprobs ?? false) === false),
  {
    message: "a stream carries one choice's text: ask for n = 1 without logprobs, or leave stream off",
    path: ["stream"],
  },
];

/** `stream_options` only makes sense on a stream, as OpenAI says too. */
export const streamOptionsNeedStream: [
  (body: { stream?: boolean | null; stream_options?: unknown }) => boolean,
  { message: string; path: PropertyKey[] },
] = [
  (body) => !body.stream_options || body.stream === true,
  { message: "only allowed when 'stream' is enabled", path: ["stream_options"] },
];
