import type { FastifyRequest } from "fastify";
import type { Caller } from "../auth/authenticate.ts";
import type { ServedModel } from "../directory/model-directory.ts";

export interface AdmissionRequest {
  request: FastifyRequest;
  caller: Caller;
  model: ServedModel;
  requestId: string;
  /** The most the request can use: prompt estimate + max_tokens (or images for OCR). */
  maxTokens: number;
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
}

/** No limits yet: every authenticated request is admitted. */
export const admitAll: Admission = {
  admit: () => Promise.resolve({ headers: {}, settle: () => Promise.resolve() }),
};
