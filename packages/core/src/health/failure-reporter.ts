import { Counter, type Registry } from "prom-client";

/**
 * Failures the data path handles on purpose but must never hide: each is
 * logged with what it concerned and counted on /metrics, by event.
 */
export type FailureEvent =
  /** A batch (the Batches API) could not be driven or checked; its lease runs out and a runner retries it. */
  | "batch_failed"
  /** A Lua script raised an error (a bug of ours, or data it cannot read). */
  | "script_error"
  /** Postgres could not be reached for a request, which was answered 503. */
  | "database_unavailable"
  /** Redis could not be reached for a request's limits. */
  | "limits_unreachable"
  /** A request's reservation could not be settled; it is retried, else its lease releases it. */
  | "settle_failed"
  /** An Idempotency-Key's record could not be completed or released. */
  | "idempotency_failed"
  /** A job could not be asked to stop, or its record could not be removed. */
  | "job_cleanup_failed"
  /** A job ended but its result never reached the gateway waiting for it. */
  | "reply_lost"
  /** A group member's transient failure could not be retried as a job of its own, so it failed. */
  | "job_retry_failed"
  /** A tenant's data key could not be opened with the configured master keys. */
  | "data_key_unavailable"
  /** A usage record could not be written and went to the dead-letter table. */
  | "usage_dead_letter"
  /** A mail could not be sent; it is tried again later, or given up after its last attempt. */
  | "mail_failed"
  /** Usage could not be written for now; it stays in the log and is retried. */
  | "usage_write_failed"
  /** A cached key record or tenant status in Redis failed its seal: someone who can write Redis altered it. */
  | "auth_cache_tampered"
  /** A streamed answer's entries in Redis were out of order or altered: the stream was ended with an error. */
  | "stream_tampered"
  /** What this process sealed could not be added to its data keys' counts; it is added at the next report. */
  | "seal_count_failed"
  /** A model queue's job counts could not be read for /metrics (autoscaling reads them). */
  | "queue_depth_unavailable";

/** What a failure concerned: the request, its tenant, the script that failed. */
export interface FailureContext {
  requestId?: string;
  tenantId?: string;
  script?: string;
  [detail: string]: unknown;
}

/** The one method of a pino (or Fastify) logger this needs. */
interface ErrorLog {
  error(fields: object, message: string): void;
}

export class FailureReporter {
  readonly #counter: Counter<"event" | "script">;

  constructor(
    private readonly log: ErrorLog,
    registry: Registry,
    metricsPrefix: string,
  ) {
    this.#counter = new Counter({
      name: `${metricsPrefix}failures_total`,
      help: "Failures on the data path that were handled and logged, by event (and Lua script)",
      labelNames: ["event", "script"] as const,
      registers: [registry],
    });
  }

  report(event: FailureEvent, message: string, context: FailureContext, error?: unknown): void {
    this.#counter.inc({ event, script: context.script ?? "" });
    this.log.error({ ...context, event, err: error }, message);
  }
}
