import type { Caller } from "../auth/authenticate.ts";
import type { PricedModel } from "../directory/model-directory.ts";

export interface AdmissionRequest {
  caller: Caller;
  model: PricedModel;
  requestId: string;
  /** An upper bound of the prompt's tokens (reserved up front, settled to the real count). */
  promptTokens: number;
  /** The most the answer may use: max_tokens, else the model's context. */
  maxOutputTokens: number;
  images: number;
}

export interface SettledUsage {
  inputTokens: number;
  outputTokens: number;
  images: number;
  costMicros: bigint;
}

/** An admitted request: headers for the answer, and settlement when it ends (any way). */
export interface AdmissionTicket {
  headers: Record<string, string>;
  settle(usage: SettledUsage): Promise<void>;
}

/**
 * The seam where quotas plug in: take every applicable limit for the key and
 * tenant before the job is enqueued (or throw an ApiError 429 / 402 / 503),
 * and settle the reservation with the real usage afterwards.
 */
export interface Admission {
  admit(request: AdmissionRequest): Promise<AdmissionTicket>;
  /**
   * Counts a request refused before it was admitted (a bad body, an unknown
   * model, an unreadable image) against the caller's request limits; throws
   * the limit's refusal instead when the caller is already over it.
   */
  countRefusal(caller: Caller, requestId: string): Promise<void>;
}
