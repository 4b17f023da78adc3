import { UnrecoverableError } from "bullmq";

/** Why a job failed for good, as the gateway maps it to an HTTP answer. */
export const jobFailureCodes = [
  "model_not_found",
  "unsupported_task",
  "context_length_exceeded",
  "invalid_image",
  "invalid_input",
  "invalid_payload",
  "undecryptable",
  "tenant_deleted",
  "deadline_exceeded",
  "revoked_api_key",
] as const;
export type JobFailureCode = (typeof jobFailureCodes)[number];

const FORMAT = /^([a-z_]+): ([\s\S]*)$/;

/** A failure no retry can mend: BullMQ fails the job at once. Its reason reads `code: message`. */
export function unrecoverable(code: JobFailureCode, message: string): UnrecoverableError {
  return new UnrecoverableError(`${code}: ${message}`);
}

/** A failed job's reason, split back into its code and message (`internal` when it has none). */
export function parseJobFailure(reason: string | undefined): { code: JobFailureCode | "internal"; message: string } {
  const match = FORMAT.exec(reason ?? "");
  const code = jobFailureCodes.find((known) => known === match?.[1]);
  if (!code) return { code: "internal", message: reason ?? "the job failed" };
  return { code, message: match?.[2] ?? "" };
}
