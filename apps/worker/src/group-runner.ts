import { Queue, UnrecoverableError, type Job } from "bullmq";
import type { Redis } from "ioredis";
import type { FailureReporter } from "@aiaas/core/platform";
import {
  groupEnvelope,
  inferenceJob,
  inferenceJobOptions,
  memberIdsOf,
  jobReceipt,
  queues,
  unrecoverable,
  type GroupReceipt,
  type InferenceJob,
  type InferenceResult,
  type MemberOutcome,
  type ReplyBatcher,
} from "@aiaas/core/queue";
import type { JobCounters } from "./job-counters.ts";
import { problemOf, readPayload } from "./job-payload.ts";

/** Reports a reply that could not be published (its gateway hears of the outcome from the job's record instead). */
export const replyLost = (failures: FailureReporter, requestId: string | undefined) => (error: unknown) =>
  failures.report("reply_lost", "a job's reply could not be published", { requestId }, error);

/** Runs one request (a job's, or a group member's, read already) of `model`'s queue; `attempt` counts from 1. */
export type RequestProcessor = (payload: InferenceJob, attempt: number, model: string) => Promise<InferenceResult>;

/**
 * Runs a group job (decision 0019): every member at once, as the job it
 * would have been alone (the engine batches them), each answered on its
 * gateway's channel as soon as it ends (members that end in one turn share
 * a message). One member's failure is that member's alone: bad input fails
 * it for good; a transient fault retries it as a job of its own, with the
 * attempts it has left. The group's record keeps each member's outcome.
 */
export class GroupRunner {
  readonly #queues = new Map<string, Queue>();

  constructor(
    private readonly processor: RequestProcessor,
    private readonly counters: JobCounters,
    private readonly replies: ReplyBatcher,
    private readonly options: { connection: Redis; prefix: string },
    private readonly failures: FailureReporter,
  ) {}

  async run(job: Job, model: string): Promise<GroupReceipt> {
    const group = readPayload(groupEnvelope, job.data);
    const attempt = Math.max(1, job.attemptsStarted);
    const members = await Promise.all(
      group.members.map((data) => {
        const member = inferenceJob.safeParse(data);
        if (member.success) return this.#member(member.data, attempt, model, job.opts.priority);
        return Promise.resolve(this.#unreadable(data, problemOf(member.error)));
      }),
    );
    return { v: 1, members };
  }

  /** A member this worker cannot read fails alone (answered when its id and channel can be read). */
  #unreadable(data: unknown, problem: string): MemberOutcome {
    const [known] = memberIdsOf({ members: [data] });
    const failedReason = unrecoverable("invalid_payload", problem).message;
    if (known) this.replies.publish(known.replyTo, { id: known.id, failedReason }, replyLost(this.failures, known.id));
    return { id: known?.id ?? "", failedReason };
  }

  async #member(member: InferenceJob, groupAttempt: number, model: string, priority?: number): Promise<MemberOutcome> {
    const id = member.requestId;
    const attempt = groupAttempt + (member.attemptsBefore ?? 0);
    const lost = replyLost(this.failures, id);
    try {
      const result = await this.counters.track(() => this.processor(member, attempt, model));
      this.replies.publish(member.replyTo, { id, returnvalue: result }, lost);
      return { id, receipt: jobReceipt(result) };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      const left = inferenceJobOptions.attempts - attempt;
      if (
        !(error instanceof UnrecoverableError) &&
        left > 0 &&
        (await this.#retryAlone(member, attempt, left, priority))
      )
        return { id, requeued: true };
      this.replies.publish(member.replyTo, { id, failedReason: reason }, lost);
      return { id, failedReason: reason };
    }
  }

  /** A member's transient fault: it runs again as a job of its own (id = its request id). False if it could not be added. */
  async #retryAlone(member: InferenceJob, attempt: number, left: number, priority?: number): Promise<boolean> {
    try {
      await this.#queue(member.model).add(
        member.task,
        { ...member, attemptsBefore: attempt },
        { ...inferenceJobOptions, jobId: member.requestId, attempts: left, priority },
      );
      return true;
    } catch (error) {
      this.failures.report(
        "job_retry_failed",
        "a group member's transient failure could not be retried as a job of its own; it fails",
        { requestId: member.requestId, tenantId: member.tenantId },
        error,
      );
      return false;
    }
  }

  #queue(model: string): Queue {
    let queue = this.#queues.get(model);
    if (!queue) {
      queue = new Queue(queues.inference.name(model), {
        connection: this.options.connection,
        prefix: this.options.prefix,
      });
      this.#queues.set(model, queue);
    }
    return queue;
  }

  async close() {
    await Promise.all([...this.#queues.values()].map((queue) => queue.close()));
  }
}
