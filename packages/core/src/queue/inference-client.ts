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

/**
 * The producer's side of the model queues: seal the input with the tenant's
 * data key, enqueue it (jobId = request id), and wait for the sealed result.
 * Queues and their event streams are opened once per model.
 */
export class InferenceClient {
  readonly #queues = new Map<string, Queue>();
  readonly #events = new Map<string, QueueEvents>();
  readonly #connections: Redis[] = [];

  constructor(
    private readonly connection: Redis,
    private readonly prefix: string,
    private readonly keyring: TenantKeyring,
  ) {}

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
      // Every waiting request listens on it (and on the queue): thousands may wait at once.
      events.setMaxListeners(0);
      this.#events.set(model, events);
      await events.waitUntilReady();
    }
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
    return (await this.queue(model).add(task, payload, {
      ...queues.inference.options,
      jobId: requestId,
      priority: options.priority,
    })) as Job<InferenceJob, InferenceResult>;
  }

  /** Waits for a submitted job; throws the job's failure (reason `code: message`) or a timeout. */
  async wait<T extends InferenceTask>(job: Job<InferenceJob, InferenceResult>, task: T, timeoutMs: number) {
    const events = await this.#queueEvents(job.data.model);
    const result = inferenceResult.parse(await job.waitUntilFinished(events, timeoutMs));
    return this.open(job.data, task, result);
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
