import { createHash, createHmac } from "node:crypto";
import type { ChainableCommander, Redis } from "ioredis";
import { inferenceResult, type InferenceResult } from "@aiaas/core/queue";
import { ApiError, type OpenAIErrorBody } from "../openai-error.ts";

/** Kept this long, like OpenAI's and Stripe's idempotency keys. */
export const IDEMPOTENCY_TTL_SECONDS = 24 * 3600;
const MAX_KEY_LENGTH = 255;

/** What an Idempotency-Key stands for: its request (and job), and once known, its outcome. */
export interface IdempotencyRecord {
  requestId: string;
  bodyHash: string;
  /** Unix seconds of the first request: every replay answers with the same `created`. */
  created: number;
  /** The job's sealed result (text stays ciphertext here too). */
  result?: InferenceResult;
  /** A refusal of the first request, answered again as-is. */
  error?: { status: number; body: OpenAIErrorBody };
}

/** Validates the header; `undefined` when the request has none. */
export function idempotencyKeyOf(header: string | string[] | undefined): string | undefined {
  if (header === undefined) return undefined;
  const value = Array.isArray(header) ? header[0] : header;
  if (!value || value.length > MAX_KEY_LENGTH || !/^[\x21-\x7e]+$/.test(value)) {
    throw new ApiError(
      400,
      `The Idempotency-Key header must be 1 to ${MAX_KEY_LENGTH} printable ASCII characters.`,
      "invalid_idempotency_key",
    );
  }
  return value;
}

/**
 * Idempotency keys in Redis, per tenant: the first request claims the key
 * (SET NX) and runs; repeats with the same body get its outcome, with
 * another body a 409.
 */
export class IdempotencyStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    /** A server secret (API_KEY_PEPPER), never in Redis or Postgres. */
    private readonly secret: string,
  ) {}

  /**
   * What a request's body is compared by: an HMAC under a key of the tenant's
   * own, derived from the server secret. Kept in Redis and in `requests`, it
   * cannot confirm a guessed prompt the way a plain hash could.
   */
  bodyHash(tenantId: string, body: unknown): string {
    const tenantKey = createHmac("sha256", this.secret).update(`idempotency:${tenantId}`).digest();
    return createHmac("sha256", tenantKey).update(JSON.stringify(body)).digest("hex");
  }

  #key(tenantId: string, key: string) {
    return `${this.prefix}:idempotency:${tenantId}:${createHash("sha256").update(key).digest("hex")}`;
  }

  /** Claims the key for a new request, or returns the record of the request that holds it. */
  async claim(
    tenantId: string,
    key: string,
    record: IdempotencyRecord,
  ): Promise<{ claimed: true } | { claimed: false; record: IdempotencyRecord }> {
    const redisKey = this.#key(tenantId, key);
    const set = await this.redis.set(redisKey, JSON.stringify(record), "EX", IDEMPOTENCY_TTL_SECONDS, "NX");
    if (set === "OK") return { claimed: true };
    const existing = await this.read(tenantId, key);
    // Expired between the two calls: claim again.
    if (!existing) return this.claim(tenantId, key, record);
    if (existing.bodyHash !== record.bodyHash) {
      throw new ApiError(
        409,
        "This Idempotency-Key was already used with a different request body. Use a new key for a new request.",
        "idempotency_key_reused",
      );
    }
    return { claimed: false, record: existing };
  }

  async read(tenantId: string, key: string): Promise<IdempotencyRecord | null> {
    const raw = await this.redis.get(this.#key(tenantId, key));
    if (!raw) return null;
    const record = JSON.parse(raw) as IdempotencyRecord;
    if (record.result) record.result = inferenceResult.parse(record.result);
    return record;
  }

  /** Records the outcome; the key keeps its original expiry. */
  async complete(tenantId: string, key: string, record: IdempotencyRecord) {
    await this.redis.set(this.#key(tenantId, key), JSON.stringify(record), "KEEPTTL", "XX");
  }

  /** The same, as part of a MULTI of the caller's (the usage record's: see UsageLog.append). */
  completeIn(multi: ChainableCommander, tenantId: string, key: string, record: IdempotencyRecord) {
    multi.set(this.#key(tenantId, key), JSON.stringify(record), "KEEPTTL", "XX");
  }

  /** Frees the key after a failure of ours, so that a retry runs again. */
  async release(tenantId: string, key: string) {
    await this.redis.del(this.#key(tenantId, key));
  }
}
