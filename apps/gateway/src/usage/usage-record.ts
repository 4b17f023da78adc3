import { z } from "zod";
import type { RequestStatus } from "@aiaas/db";

/** One finished public API call: what it used and how long it took; text only as ciphertext. */
export interface UsageRecord {
  requestId: string;
  tenantId: string;
  apiKeyId: string;
  modelId: string;
  /** The version that answered (null: a model registered before versions). */
  modelVersionId: string | null;
  endpoint: string;
  status: RequestStatus;
  stream: boolean;
  errorCode: string | null;
  inputTokens: number;
  outputTokens: number;
  images: number;
  costMicros: bigint;
  /** The price version the cost was reckoned at (null: the model has no price). */
  priceId: string | null;
  queueMs: number | null;
  inferenceMs: number | null;
  totalMs: number;
  createdAt: Date;
  finishedAt: Date;
  idempotencyKey: string | null;
  bodyHash: string | null;
  /** OpenAI's `user` as the request sent it (the tenant's id for its end user). */
  endUser?: string | null;
  /** Present only while the tenant's retention allows storing it. */
  stored: {
    prompt: Uint8Array<ArrayBuffer>;
    response: Uint8Array<ArrayBuffer> | null;
    dataKeyId: string;
    purgeAfter: Date;
  } | null;
}

const bytes = z.base64().transform((value) => new Uint8Array(Buffer.from(value, "base64")));
const instant = z
  .number()
  .int()
  .transform((ms) => new Date(ms));
const count = z.number().int().min(0);

/**
 * A usage record as the usage log holds it (JSON: money as a decimal
 * string, instants as epoch ms, ciphertext as base64). `v` lets gateways of
 * two releases share the log during a deploy: fields added later are optional.
 */
const wireRecord = z.object({
  v: z.literal(1),
  requestId: z.string().min(1),
  tenantId: z.string().min(1),
  apiKeyId: z.string().min(1),
  modelId: z.string().min(1),
  // Optional: a gateway of the release before versions writes none.
  modelVersionId: z.string().nullable().default(null),
  endpoint: z.string(),
  status: z.enum(["queued", "running", "succeeded", "failed", "cancelled", "timed_out"]),
  stream: z.boolean(),
  errorCode: z.string().nullable(),
  inputTokens: count,
  outputTokens: count,
  images: count,
  costMicros: z
    .string()
    .regex(/^\d+$/)
    .transform((value) => BigInt(value)),
  priceId: z.string().nullable(),
  queueMs: count.nullable(),
  inferenceMs: count.nullable(),
  totalMs: count,
  createdAt: instant,
  finishedAt: instant,
  idempotencyKey: z.string().nullable(),
  bodyHash: z.string().nullable(),
  // Optional: records logged by a gateway of the release before have none.
  endUser: z.string().nullish(),
  stored: z
    .object({ prompt: bytes, response: bytes.nullable(), dataKeyId: z.string(), purgeAfter: instant })
    .nullable(),
});

const base64 = (value: Uint8Array) => Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("base64");

/** The record without its sealed prompt and answer: what a dead letter keeps. */
export function describeRecord(record: UsageRecord) {
  return {
    ...record,
    costMicros: record.costMicros.toString(),
    createdAt: record.createdAt.toISOString(),
    finishedAt: record.finishedAt.toISOString(),
    stored: record.stored ? { dataKeyId: record.stored.dataKeyId } : null,
  };
}

export function encodeRecord(record: UsageRecord): string {
  return JSON.stringify({
    v: 1,
    ...record,
    costMicros: record.costMicros.toString(),
    createdAt: record.createdAt.getTime(),
    finishedAt: record.finishedAt.getTime(),
    stored: record.stored && {
      prompt: base64(record.stored.prompt),
      response: record.stored.response && base64(record.stored.response),
      dataKeyId: record.stored.dataKeyId,
      purgeAfter: record.stored.purgeAfter.getTime(),
    },
  });
}

/** The record of a log entry, or why it is none (then it is dead-lettered as it stands). */
export function decodeRecord(text: string): { record: UsageRecord } | { unreadable: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { unreadable: `not JSON: ${(error as Error).message}` };
  }
  const parsed = wireRecord.safeParse(json);
  if (!parsed.success) return { unreadable: z.prettifyError(parsed.error).replaceAll("\n", "; ") };
  const { v: _version, ...record } = parsed.data;
  return { record };
}
