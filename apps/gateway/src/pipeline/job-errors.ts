import { DomainError } from "@aiaas/core/platform";
import { parseJobFailure, type JobFailureCode } from "@aiaas/core/queue";
import type { RequestStatus } from "@aiaas/db";
import { ApiError } from "../openai-error.ts";

const statusByCode: Record<JobFailureCode | "internal", number> = {
  model_not_found: 503,
  unsupported_task: 400,
  context_length_exceeded: 400,
  invalid_image: 400,
  invalid_input: 400,
  invalid_payload: 500,
  undecryptable: 500,
  tenant_deleted: 403,
  deadline_exceeded: 504,
  revoked_api_key: 401,
  internal: 500,
};

const paramByCode: Partial<Record<JobFailureCode, string>> = {
  context_length_exceeded: "messages",
  invalid_image: "image",
  invalid_input: "input",
};

const isTimeout = (error: Error) => /timed out before finishing/i.test(error.message);
const isJobLost = (error: Error) => /is gone from the queue/i.test(error.message);
const isReplyLost = (error: Error) => /its result was lost on the way/i.test(error.message);
/** ioredis's ways of saying Redis went away while a request waited on it. */
const isConnectionLoss = (error: Error) =>
  error.name === "MaxRetriesPerRequestError" ||
  /Connection is closed|Stream isn't writeable|ECONNREFUSED|ECONNRESET|connect ETIMEDOUT/i.test(error.message);

/** A failed or timed-out job as the answer to the caller, and the status its request row records. */
export function jobError(error: unknown, timeoutMs: number): { error: ApiError; status: RequestStatus } {
  if (error instanceof ApiError) return { error, status: "failed" };
  // A refusal of ours met on the way (a tenant deleted while its answer streamed): its own status, as anywhere else.
  if (error instanceof DomainError)
    return { error: new ApiError(error.status, error.message, error.code), status: "failed" };
  const failure = error instanceof Error ? error : new Error(String(error));
  if (isTimeout(failure)) {
    return {
      status: "timed_out",
      error: new ApiError(
        504,
        `The model did not answer within ${Math.round(timeoutMs / 1000)} s. The request was cancelled; try again, or stream the answer.`,
        "timeout",
      ),
    };
  }
  if (isJobLost(failure)) {
    return {
      status: "failed",
      error: new ApiError(
        503,
        "The request's job was lost by the queue (its store restarted without its data); it was not run to the end and nothing is charged. Retry it.",
        "job_lost",
      ),
    };
  }
  if (isReplyLost(failure)) {
    return {
      status: "failed",
      error: new ApiError(
        503,
        "The model's answer was lost on its way back to the gateway; nothing is charged. Retry the request.",
        "reply_lost",
      ),
    };
  }
  if (isConnectionLoss(failure)) {
    return {
      status: "failed",
      error: new ApiError(
        503,
        "The request queue became unavailable while this request waited. Retry shortly.",
        "queue_unavailable",
      ),
    };
  }
  const { code, message } = parseJobFailure(failure.message);
  const status = statusByCode[code];
  if (status >= 500 && code !== "deadline_exceeded" && code !== "model_not_found") {
    return {
      status: "failed",
      error: new ApiError(500, "The server had an error while processing your request. Retrying may help.", code),
    };
  }
  return {
    status: code === "deadline_exceeded" ? "timed_out" : "failed",
    error: new ApiError(status, message, code, code === "internal" ? null : (paramByCode[code] ?? null)),
  };
}
