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

/** The end of a job this process submitted, settled from its queue's event stream. */
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
 * Queues and their event streams are opened once per model.
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
  /** Waits to fail at once when the event stream's connection drops: their jobs may be gone with Redis. */
  readonly #waiting = new Set<(error: Error) => void>();
  /** Redis is reconnecting: a wait started now could miss its job's end (or the job itself). */
  #down = false;

  constructor(
    private readonly connection: Redis,
    private readonly prefix: string,
    private readonly keyring: TenantKeyring,
  ) {
    // Redis lost: whatever was waiting may never hear of its job again, so it fails now.
    connection.on("close", () => {
      this.#down = true;
      const lost = new Error("Connection is closed: the queue's events were lost");
      for (const fail of this.#waiting) fail(lost);
    });
    connection.on("ready", () => (this.#down = false));
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
      events = new QueueEvents(queues.inference.name(model), { connection, prefix: this.prefix });
      // Requests of other processes' jobs (idempotent replays) listen on it per job: thousands may wait at once.
      events.setMaxListeners(0);
      events.on("completed", ({ jobId, returnvalue }) => this.#submitted.get(jobId)?.complete(returnvalue));
      events.on("failed", ({ jobId, failedReason }) => this.#submitted.get(jobId)?.fail(new Error(failedReason)));
      this.#events.set(model, events);
    }
    // Every caller waits until it listens: it reads new events only, so one sooner could miss its job's end.
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
    };
    await this.#queueEvents(model);
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
    const events = await this.#queueEvents(job.data.model);
    if (this.#down) throw new Error("Connection is closed: the queue is reconnecting");
    const returned = await this.#finished(job, events, timeoutMs);
    return this.open(job.data, task, inferenceResult.parse(returned));
  }

  /**
   * BullMQ's `waitUntilFinished`, without its flaw: it polls Redis inside an
   * async promise executor, so a Redis outage there is an unhandled rejection
   * (a crash). Here every failure rejects this promise, and losing the event
   * stream's connection fails the wait at once (its job may be gone).
   */
  #finished(job: Job<InferenceJob, InferenceResult>, events: QueueEvents, timeoutMs: number): Promise<unknown> {
    const id = job.id ?? "";
    const submitted = this.#submitted.get(id);
    // Per-job event names (`completed:<id>`) are emitted but not in QueueEvents' typed listener map.
    const emitter: EventEmitter = events;
    return new Promise((resolve, reject) => {
      let settled = false;
      const onCompleted = ({ returnvalue }: { returnvalue: unknown }) => settle(() => resolve(returnvalue));
      const onFailed = ({ failedReason }: { failedReason: string }) => settle(() => reject(new Error(failedReason)));
      const onLost = (error: Error) => settle(() => reject(error));
      const timer = setTimeout(
        () => onLost(new Error(`Job ${id} timed out before finishing: no answer after ${timeoutMs} ms`)),
        timeoutMs,
      );
      const settle = (finish: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (submitted) this.#submitted.delete(id);
        else {
          emitter.off(`completed:${id}`, onCompleted);
          emitter.off(`failed:${id}`, onFailed);
        }
        this.#waiting.delete(onLost);
        finish();
      };
      this.#waiting.add(onLost);
      if (submitted) {
        submitted.ended.then((returnvalue) => onCompleted({ returnvalue }), onLost);
        return;
      }
      // Another process's job (a replay): it may have finished before we listened, so look once.
      emitter.on(`completed:${id}`, onCompleted);
      emitter.on(`failed:${id}`, onFailed);
      void (async () => {
        const state = await job.getState();
        if (state !== "completed" && state !== "failed") return;
        const latest = await this.queue(job.data.model).getJob(id);
        if (state === "completed") onCompleted({ returnvalue: latest?.returnvalue });
        else onFailed({ failedReason: latest?.failedReason ?? "the job failed" });
      })().catch(onLost);
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
