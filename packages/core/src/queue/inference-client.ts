import type { EventEmitter } from "node:events";
import { Queue, QueueEvents, type Job } from "bullmq";
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
import { jobReply, newReplyChannel } from "./job-replies.ts";
import { queues } from "./queues.ts";
import { openJson, sealJson } from "./sealed-json.ts";

export interface SubmitOptions {
  /** The request id, which is also the BullMQ job id: a second submit with it is the same job. */
  requestId?: string;
  stream?: boolean;
  deadlineAt?: number;
  /** BullMQ priority (1 is the highest); plans may use it. */
  priority?: number;
}

export interface Completed<T extends InferenceTask> {
  output: InferenceOutput<T>;
  result: InferenceResult;
}

/** How far Redis's clock (which numbers the event stream) may be behind ours. */
const EVENTS_CLOCK_MARGIN_MS = 5_000;
/**
 * How often a wait without a reply looks at its job: a worker of an earlier
 * release does not publish replies, and nobody publishes the end of a job
 * that BullMQ's stalled-job check failed.
 */
const REPLY_LOOK_MS = 2_000;

/** The end of a job this process submitted, settled by its reply. */
interface Outcome {
  ended: Promise<unknown>;
  complete: (returnvalue: unknown) => void;
  fail: (error: Error) => void;
}

function outcome(): Outcome {
  let complete: Outcome["complete"] = () => {};
  let fail: Outcome["fail"] = () => {};
  const ended = new Promise<unknown>((resolve, reject) => ((complete = resolve), (fail = reject)));
  // Nobody may be waiting yet (or any more); its waiter sees the failure.
  ended.catch(() => {});
  return { ended, complete, fail };
}

/**
 * The producer's side of the model queues: seal the input with the tenant's
 * data key, enqueue it (jobId = request id), and wait for the sealed result.
 * Jobs submitted here name this client's reply channel, on which the worker
 * publishes their end (job-replies.ts); jobs of other processes (idempotent
 * replays) are followed on their queue's event stream, opened once per model.
 */
export class InferenceClient {
  readonly #queues = new Map<string, Queue>();
  /**
   * Jobs submitted here, by id, listened for from before they were added: their
   * end cannot be missed, so waiting needs no look at the job's state.
   */
  readonly #submitted = new Map<string, Outcome>();
  readonly #events = new Map<string, QueueEvents>();
  readonly #connections: Redis[] = [];
  readonly #replyChannel: string;
  #listening: Promise<void> | undefined;
  /** Waits to fail at once when a connection drops: their jobs (or replies) may be gone with Redis. */
  readonly #waiting = new Set<(error: Error) => void>();
  /** Redis is reconnecting: a wait started now could miss its job's end (or the job itself). */
  #down = false;
  #repliesDown = false;

  constructor(
    private readonly connection: Redis,
    private readonly prefix: string,
    private readonly keyring: TenantKeyring,
  ) {
    this.#replyChannel = newReplyChannel(prefix);
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
      if (subscriber.status === "wait") subscriber.connect().catch(() => {});
    }
    return this.#listening;
  }

  #reply(message: string) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(message);
    } catch {
      return;
    }
    const reply = jobReply.safeParse(parsed);
    if (!reply.success) return;
    const outcome = this.#submitted.get(reply.data.id);
    if ("failedReason" in reply.data) outcome?.fail(new Error(reply.data.failedReason));
    else outcome?.complete(reply.data.returnvalue);
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

  async #queueEvents(model: string): Promise<QueueEvents> {
    let events = this.#events.get(model);
    if (!events) {
      // QueueEvents blocks on its stream: it takes a connection of its own, closed with it.
      const connection = this.connection.duplicate({ maxRetriesPerRequest: null, enableOfflineQueue: true });
      this.#connections.push(connection);
      // It reads from its creation on (less a margin for Redis's clock), not from its first read, which
      // comes later: a job that ends in between is not missed by a waiter that looked at its state before.
      events = new QueueEvents(queues.inference.name(model), {
        connection,
        prefix: this.prefix,
        lastEventId: `${Date.now() - EVENTS_CLOCK_MARGIN_MS}-0`,
      });
      // Requests of other processes' jobs (idempotent replays) listen on it per job: thousands may wait at once.
      events.setMaxListeners(0);
      events.on("completed", ({ jobId, returnvalue }) => this.#submitted.get(jobId)?.complete(returnvalue));
      events.on("failed", ({ jobId, failedReason }) => this.#submitted.get(jobId)?.fail(new Error(failedReason)));
      this.#events.set(model, events);
    }
    await events.waitUntilReady();
    return events;
  }

  async submit<T extends InferenceTask>(
    tenantId: string,
    model: string,
    task: T,
    input: InferenceInput<T>,
    options: SubmitOptions = {},
  ): Promise<Job<InferenceJob, InferenceResult>> {
    const requestId = options.requestId ?? newId("request");
    const payload: InferenceJob = {
      v: 1,
      requestId,
      tenantId,
      model,
      task,
      input: await sealJson(this.keyring, tenantId, payloadContext(requestId, "input"), input),
      stream: options.stream,
      enqueuedAt: Date.now(),
      deadlineAt: options.deadlineAt,
      replyTo: this.#replyChannel,
    };
    await this.#listen();
    if (!this.#submitted.has(requestId)) this.#submitted.set(requestId, outcome());
    try {
      return (await this.queue(model).add(task, payload, {
        ...queues.inference.options,
        jobId: requestId,
        priority: options.priority,
      })) as Job<InferenceJob, InferenceResult>;
    } catch (error) {
      this.#submitted.delete(requestId);
      throw error;
    }
  }

  /** Waits for a submitted job; throws the job's failure (reason `code: message`) or a timeout. */
  async wait<T extends InferenceTask>(job: Job<InferenceJob, InferenceResult>, task: T, timeoutMs: number) {
    const source = this.#submitted.get(job.id ?? "") ?? (await this.#queueEvents(job.data.model));
    if (this.#down || this.#repliesDown) throw new Error("Connection is closed: the queue is reconnecting");
    const returned = await this.#finished(job, source, timeoutMs);
    return this.open(job.data, task, inferenceResult.parse(returned));
  }

  /**
   * BullMQ's `waitUntilFinished`, without its flaw: it polls Redis inside an
   * async promise executor, so a Redis outage there is an unhandled rejection
   * (a crash). Here every failure rejects this promise, and losing a
   * connection fails the wait at once (its job may be gone). A job submitted
   * here ends by its reply (`source` is its outcome); another's, by its
   * queue's events.
   */
  #finished(
    job: Job<InferenceJob, InferenceResult>,
    source: Outcome | QueueEvents,
    timeoutMs: number,
  ): Promise<unknown> {
    const id = job.id ?? "";
    // Per-job event names (`completed:<id>`) are emitted but not in QueueEvents' typed listener map.
    const emitter: EventEmitter | undefined = source instanceof QueueEvents ? source : undefined;
    return new Promise((resolve, reject) => {
      let settled = false;
      const onCompleted = ({ returnvalue }: { returnvalue: unknown }) => settle(() => resolve(returnvalue));
      const onFailed = ({ failedReason }: { failedReason: string }) => settle(() => reject(new Error(failedReason)));
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
        if (emitter) {
          emitter.off(`completed:${id}`, onCompleted);
          emitter.off(`failed:${id}`, onFailed);
        } else this.#submitted.delete(id);
        this.#waiting.delete(onLost);
        finish();
      };
      this.#waiting.add(onLost);
      /** Settles from the job's state if it has ended (or is gone); says whether it had. */
      const lookUp = async () => {
        const state = await job.getState();
        if (state === "unknown") {
          onLost(new Error(`Job ${id} is gone from the queue: Redis lost it`));
          return true;
        }
        if (state !== "completed" && state !== "failed") return false;
        const latest = await this.queue(job.data.model).getJob(id);
        if (state === "completed") onCompleted({ returnvalue: latest?.returnvalue });
        else onFailed({ failedReason: latest?.failedReason ?? "the job failed" });
        return true;
      };
      if (!(source instanceof QueueEvents)) {
        source.ended.then((returnvalue) => onCompleted({ returnvalue }), onLost);
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
        return;
      }
      // Another process's job (a replay): it may have finished before we listened, so look once.
      const events: EventEmitter = source;
      events.on(`completed:${id}`, onCompleted);
      events.on(`failed:${id}`, onFailed);
      lookUp().catch(onLost);
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
    await Promise.all([...this.#events.values()].map((events) => events.close()));
    await Promise.all([...this.#queues.values()].map((queue) => queue.close()));
    for (const connection of this.#connections) connection.disconnect();
  }
}
