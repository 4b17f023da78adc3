import { Queue, type JobState } from "bullmq";
import { currentTraceCarrier } from "../telemetry/trace-context.ts";
import type { Redis } from "ioredis";
import type { TenantKeyring } from "../crypto/tenant-keyring.ts";
import { newId } from "../ids.ts";
import {
  inferenceOutputs,
  inferenceResult,
  payloadContext,
  type InferenceInput,
  type InferenceJob,
  type InferenceOutput,
  type InferenceResult,
  type InferenceTask,
} from "./inference-job.ts";
import { JobCoalescer, noCoalescing, type Carrier, type CoalesceOptions } from "./job-coalescer.ts";
import { groupReceipt } from "./job-groups.ts";
import { jobReplies, newReplyChannel } from "./job-replies.ts";
import { queues } from "./queues.ts";
import { openJson, sealJson } from "./sealed-json.ts";

export interface SubmitOptions {
  /** The request id, which is also the BullMQ job id: a second submit with it is the same job. */
  requestId?: string;
  stream?: boolean;
  deadlineAt?: number;
  /** BullMQ priority (1 is the highest); plans may use it. */
  priority?: number;
  /** The version to run (the SHA-256 of its files); a worker's first version of the model when omitted. */
  version?: string;
  /** A batch line: after interactive work, in the queue and in the worker. */
  batch?: boolean;
  /** The hash of the caller's API key (the job refused if the key is revoked before it runs). */
  keyHash?: string;
  /** Travel alone, never in a group: a request whose job must be found by its id (an Idempotency-Key's repeats look). */
  alone?: boolean;
}

/** Where a job stands, as the waiting process reads it when no reply came. */
interface JobRecord {
  state: JobState | "unknown";
  returnvalue?: unknown;
  failedReason?: string;
}

/**
 * A submitted request's job: its own, or the group it travels in (a group's
 * member answers for itself: its state and outcome are its own, read from
 * the group's record, or from its own job when it was retried alone).
 */
export class SubmittedJob {
  constructor(
    readonly data: InferenceJob,
    private readonly carrier: Carrier,
    private readonly queue: Queue,
  ) {}

  /** The request id (the job's id when it travels alone). */
  get id(): string {
    return this.data.requestId;
  }

  /** The group it travels in, if any. */
  get group(): string | undefined {
    return this.carrier.grouped ? this.carrier.job.id : undefined;
  }

  async getState(): Promise<JobState | "unknown"> {
    return (await this.record()).state;
  }

  /** Its state, and its outcome once it has ended. */
  async record(): Promise<JobRecord> {
    const own = await this.queue.getJob(this.id);
    const job = own ?? (this.carrier.grouped ? await this.queue.getJob(this.carrier.job.id ?? "") : undefined);
    if (!job) return { state: "unknown" };
    const state = await job.getState();
    if (own || state !== "completed") return { state, returnvalue: job.returnvalue, failedReason: job.failedReason };
    const receipt = groupReceipt.safeParse(job.returnvalue);
    const outcome = receipt.success ? receipt.data.members.find(({ id }) => id === this.id) : undefined;
    if (!outcome || "requeued" in outcome) return { state: "unknown" }; // retried alone, and that job is gone
    if ("failedReason" in outcome) return { state: "failed", failedReason: outcome.failedReason };
    return { state: "completed", returnvalue: outcome.receipt };
  }

  /** Removes its job, so that its id can run again; a group's job is its other members' too, and stays. */
  async remove(): Promise<void> {
    const own = this.carrier.grouped ? await this.queue.getJob(this.id) : this.carrier.job;
    await own?.remove();
  }
}

export interface Completed<T extends InferenceTask> {
  output: InferenceOutput<T>;
  result: InferenceResult;
}

/**
 * How often a wait without a reply looks at its job: pub/sub keeps nothing
 * (a reply published while the gateway's subscriber reconnected is gone),
 * nobody publishes the end of a job that BullMQ's stalled-job check failed,
 * and a job Redis lost never ends.
 */
const REPLY_LOOK_MS = 2_000;

/** The end of a job this process submitted, settled by its reply. */
interface Outcome {
  model: string;
  ended: Promise<unknown>;
  complete: (returnvalue: unknown) => void;
  fail: (error: Error) => void;
}

function outcome(model: string): Outcome {
  let complete: Outcome["complete"] = () => {};
  let fail: Outcome["fail"] = () => {};
  const ended = new Promise<unknown>((resolve, reject) => ((complete = resolve), (fail = reject)));
  // Nobody may be waiting yet (or any more); its waiter sees the failure.
  ended.catch(() => {});
  return { model, ended, complete, fail };
}

/**
 * The producer's side of the model queues: seal the input with the tenant's
 * data key, enqueue it (jobId = request id; or, while the model is busy,
 * in a group of requests that travel as one job: job-coalescer.ts), and
 * wait for the sealed result.
 * Jobs submitted here name this client's reply channel, on which the worker
 * publishes their end (job-replies.ts); only the submitting process waits
 * for a job (a repeat of an idempotent request waits for the first one's
 * record instead).
 */
export class InferenceClient {
  readonly #queues = new Map<string, Queue>();
  /**
   * Jobs submitted here, by id, listened for from before they were added: their
   * end cannot be missed, so waiting needs no look at the job's state.
   */
  readonly #submitted = new Map<string, Outcome>();
  readonly #connections: Redis[] = [];
  readonly #replyChannel: string;
  #listening: Promise<void> | undefined;
  /** Waits to fail at once when a connection drops: their jobs (or replies) may be gone with Redis. */
  readonly #waiting = new Set<(error: Error) => void>();
  /** Redis is reconnecting: a wait started now could miss its job's end (or the job itself). */
  #down = false;
  #repliesDown = false;
  /** Per model, the jobs submitted here not yet ended: a model with any is busy, and new requests coalesce. */
  readonly #inFlight = new Map<string, number>();
  readonly #coalescer: JobCoalescer;

  constructor(
    private readonly connection: Redis,
    private readonly prefix: string,
    private readonly keyring: TenantKeyring,
    coalesce: CoalesceOptions = noCoalescing,
  ) {
    this.#replyChannel = newReplyChannel(prefix);
    this.#coalescer = new JobCoalescer(coalesce, (model) => this.queue(model));
    connection.on("close", () => {
      this.#down = true;
      this.#failWaiting();
    });
    connection.on("ready", () => (this.#down = false));
  }

  /** Redis lost: whatever was waiting may never hear of its job again, so it fails now. */
  #failWaiting() {
    const lost = new Error("Connection is closed: the queue's events were lost");
    for (const fail of this.#waiting) fail(lost);
  }

  /**
   * Subscribes to this client's reply channel, once (and again after every
   * reconnection, before replies count as heard again); submitting waits for it.
   */
  #listen(): Promise<void> {
    if (!this.#listening) {
      // A subscriber takes a connection of its own, closed with the client.
      const subscriber = this.connection.duplicate({
        maxRetriesPerRequest: null,
        enableOfflineQueue: true,
        autoResubscribe: false,
      });
      this.#connections.push(subscriber);
      subscriber.on("message", (_channel: string, message: string) => this.#reply(message));
      subscriber.on("close", () => {
        this.#repliesDown = true;
        this.#failWaiting();
      });
      this.#listening = new Promise<void>((resolve) => {
        subscriber.on("ready", () => {
          subscriber.subscribe(this.#replyChannel).then(
            () => {
              this.#repliesDown = false;
              resolve();
            },
            () => subscriber.disconnect(true),
          );
        });
      });
      // A failed connect shows as the subscriber's close (waits fail at once), and ioredis tries again.
      if (subscriber.status === "wait") subscriber.connect().catch(() => {});
    }
    return this.#listening;
  }

  #reply(message: string) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(message);
    } catch {
      return; // Only workers publish on this process's channel: what is not a reply is nobody's answer.
    }
    const replies = jobReplies.safeParse(parsed);
    if (!replies.success) return;
    for (const reply of replies.data) {
      const outcome = this.#submitted.get(reply.id);
      if ("failedReason" in reply) outcome?.fail(new Error(reply.failedReason));
      else outcome?.complete(reply.returnvalue);
    }
  }

  /** Per model, the requests submitted here that have not ended: queued or running (what autoscaling reads). */
  requestsInFlight(model: string): number {
    return this.#inFlight.get(model) ?? 0;
  }

  #track(requestId: string, model: string) {
    if (this.#submitted.has(requestId)) return;
    this.#submitted.set(requestId, outcome(model));
    this.#inFlight.set(model, (this.#inFlight.get(model) ?? 0) + 1);
  }

  #untrack(requestId: string) {
    const tracked = this.#submitted.get(requestId);
    if (!tracked) return;
    this.#submitted.delete(requestId);
    const count = (this.#inFlight.get(tracked.model) ?? 0) - 1;
    if (count > 0) this.#inFlight.set(tracked.model, count);
    else this.#inFlight.delete(tracked.model);
  }

  queue(model: string): Queue {
    let queue = this.#queues.get(model);
    if (!queue) {
      queue = new Queue(queues.inference.name(model), { connection: this.connection, prefix: this.prefix });
      queue.setMaxListeners(0);
      this.#queues.set(model, queue);
    }
    return queue;
  }

  async submit<T extends InferenceTask>(
    tenantId: string,
    model: string,
    task: T,
    input: InferenceInput<T>,
    options: SubmitOptions = {},
  ): Promise<SubmittedJob> {
    const requestId = options.requestId ?? newId("request");
    const payload: InferenceJob = {
      v: 1,
      requestId,
      tenantId,
      model,
      task,
      version: options.version,
      input: await sealJson(this.keyring, tenantId, payloadContext(requestId, "input"), input),
      stream: options.stream,
      ...(options.batch && { batch: true }),
      ...(options.keyHash && { keyHash: options.keyHash }),
      enqueuedAt: Date.now(),
      deadlineAt: options.deadlineAt,
      replyTo: this.#replyChannel,
      trace: currentTraceCarrier(),
    };
    await this.#listen();
    // Busy: some other request of this process waits for the model; this one may travel with others.
    const busy = (this.#inFlight.get(model) ?? 0) > 0;
    this.#track(requestId, model);
    try {
      const carrier =
        !options.alone && this.#coalescer.groups(model, busy)
          ? await this.#coalescer.join(payload, options.priority)
          : await this.#coalescer.alone(payload, options.priority);
      return new SubmittedJob(payload, carrier, this.queue(model));
    } catch (error) {
      this.#untrack(requestId);
      throw error;
    }
  }

  /**
   * Waits for a job submitted here; throws the job's failure (reason
   * `code: message`), a timeout, or that its result was lost on the way.
   */
  async wait<T extends InferenceTask>(job: SubmittedJob, task: T, timeoutMs: number) {
    const source = this.#submitted.get(job.id);
    if (!source) throw new Error(`Job ${job.id ?? ""} was not submitted here: only its submitter waits for it`);
    if (this.#down || this.#repliesDown) throw new Error("Connection is closed: the queue is reconnecting");
    const returned = await this.#finished(job, source, timeoutMs);
    // BullMQ's record of a job keeps its receipt, not its sealed output: that travels by the reply only.
    if (typeof returned === "object" && returned !== null && !("output" in returned))
      throw new Error(`Job ${job.id ?? ""} finished, but its result was lost on the way: its reply never came`);
    return this.open(job.data, task, inferenceResult.parse(returned));
  }

  /**
   * BullMQ's `waitUntilFinished`, without its flaw: it polls Redis inside an
   * async promise executor, so a Redis outage there is an unhandled rejection
   * (a crash). Here every failure rejects this promise, and losing a
   * connection fails the wait at once (its job may be gone). The job ends by
   * its reply (`source`); without one for a while, its record is looked at.
   */
  #finished(job: SubmittedJob, source: Outcome, timeoutMs: number): Promise<unknown> {
    const id = job.id;
    return new Promise((resolve, reject) => {
      let settled = false;
      const onCompleted = (returnvalue: unknown) => settle(() => resolve(returnvalue));
      const onFailed = (failedReason: string) => settle(() => reject(new Error(failedReason)));
      const onLost = (error: Error) => settle(() => reject(error));
      const timer = setTimeout(
        () => onLost(new Error(`Job ${id} timed out before finishing: no answer after ${timeoutMs} ms`)),
        timeoutMs,
      );
      let look: NodeJS.Timeout | undefined;
      const settle = (finish: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        clearTimeout(look);
        this.#untrack(id);
        this.#waiting.delete(onLost);
        finish();
      };
      this.#waiting.add(onLost);
      /** Settles from the job's record if it has ended (or is gone); says whether it had. */
      const lookUp = async () => {
        const { state, returnvalue, failedReason } = await job.record();
        if (state === "unknown") {
          onLost(new Error(`Job ${id} is gone from the queue: Redis lost it`));
          return true;
        }
        if (state !== "completed" && state !== "failed") return false;
        if (state === "completed") onCompleted(returnvalue);
        else onFailed(failedReason ?? "the job failed");
        return true;
      };
      source.ended.then(onCompleted, onLost);
      const lookLater = () => {
        look = setTimeout(() => {
          // A failed look (Redis busy or away) is tried again; losing the connection fails the wait anyway.
          lookUp().then(
            (ended) => ended || settled || lookLater(),
            () => settled || lookLater(),
          );
        }, REPLY_LOOK_MS);
      };
      lookLater();
    });
  }

  async open<T extends InferenceTask>(
    job: Pick<InferenceJob, "requestId" | "tenantId">,
    task: T,
    result: InferenceResult,
  ): Promise<Completed<T>> {
    const plaintext = await openJson(
      this.keyring,
      job.tenantId,
      payloadContext(job.requestId, "output"),
      result.output,
    );
    return { output: inferenceOutputs[task].parse(plaintext) as InferenceOutput<T>, result };
  }

  async close() {
    await Promise.all([...this.#queues.values()].map((queue) => queue.close()));
    for (const connection of this.#connections) connection.disconnect();
  }
}
