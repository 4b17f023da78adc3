import type { FastifyReply, FastifyRequest } from "fastify";
import type { Job } from "bullmq";
import type { Redis } from "ioredis";
import {
  DecryptionError,
  payloadContext,
  promptPurgeAfter,
  requestCancel,
  ScriptError,
  sealStoredPart,
  sealedKeyId,
  usageCost,
  type Completed,
  type InferenceClient,
  type InferenceInput,
  type InferenceJob,
  type InferenceResult,
  type InferenceTask,
  type FairShare,
  type FailureReporter,
  type TenantKeyring,
  type TokenStreamReader,
} from "@aiaas/core/server";
import type { RequestStatus } from "@aiaas/db";
import type { Caller } from "../auth/authenticate.ts";
import type { ModelDirectory, PricedModel } from "../directory/model-directory.ts";
import { ApiError } from "../openai-error.ts";
import type { UsageWriter } from "../usage/usage-writer.ts";
import type { Admission, AdmissionTicket } from "./admission.ts";
import { hashBody, idempotencyKeyOf, type IdempotencyRecord, type IdempotencyStore } from "./idempotency.ts";
import { jobError } from "./job-errors.ts";
import type { LiveModels } from "./live-models.ts";
import { SseWriter } from "./sse.ts";

export interface PipelineDeps {
  redis: Redis;
  /** Follows the token streams of every streamed request, over one connection. */
  streams: TokenStreamReader;
  prefix: string;
  keyring: TenantKeyring;
  client: InferenceClient;
  directory: ModelDirectory;
  admission: Admission;
  idempotency: IdempotencyStore;
  usage: UsageWriter;
  liveModels: LiveModels;
  fairShare: FairShare;
  failures: FailureReporter;
  timeoutMs: number;
}

/** One call to a model, as the routes describe it. */
export interface InferenceCall<T extends InferenceTask> {
  caller: Caller;
  endpoint: string;
  model: PricedModel;
  task: T;
  input: InferenceInput<T>;
  /** The request body: hashed for idempotency, stored sealed while the tenant's retention allows. */
  body: unknown;
  /** For admission: an upper bound of the prompt's tokens, and the most the answer may use. */
  promptTokens: number;
  maxOutputTokens: number;
  images: number;
}

/** What every answer of one request shares, replays included. */
export interface CallMeta {
  requestId: string;
  created: number;
  model: string;
}

/** Renders a stream's events from the worker's text, in the endpoint's chunk shape. */
export interface StreamRenderer {
  start(meta: CallMeta): unknown;
  delta(meta: CallMeta, text: string): unknown;
  finish(meta: CallMeta, finishReason: string, result: InferenceResult | null): unknown[];
}

const POLL_MS = 15;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The hot path after authentication and validation: idempotency, admission,
 * enqueue (sealed input; jobId = request id), wait or relay the token
 * stream, then settle and record usage. Every outcome is recorded.
 */
export class InferencePipeline {
  constructor(private readonly deps: PipelineDeps) {}

  /** Runs a call and returns its completed output, for the route to render. */
  async run<T extends InferenceTask>(
    request: FastifyRequest,
    reply: FastifyReply,
    call: InferenceCall<T>,
  ): Promise<{ meta: CallMeta; completed: Completed<T> }> {
    const started = await this.#begin(request, call);
    reply.header("x-request-id", started.meta.requestId);
    if ("replay" in started) return this.#replay(started, call, reply);
    const { meta, ticket, idempotencyKey } = started;
    reply.headers(ticket.headers);
    const startedAt = Date.now();
    let job: Job<InferenceJob, InferenceResult> | undefined;
    try {
      const submitted = await this.#submit(call, meta, false);
      job = submitted.job;
      const completed = await this.deps.client.wait(job, call.task, this.deps.timeoutMs).finally(submitted.done);
      // Settling and recording need not hold the answer back.
      this.#finish(call, meta, ticket, idempotencyKey, startedAt, { status: "succeeded", completed }).catch(
        (error: unknown) => request.log.error({ err: error }, "could not record a request's usage"),
      );
      return { meta, completed };
    } catch (error) {
      const failure = jobError(error, this.deps.timeoutMs);
      if (failure.status === "timed_out") void this.#cancel(meta.requestId);
      await this.#finish(call, meta, ticket, idempotencyKey, startedAt, {
        status: failure.status,
        error: failure.error,
        job,
      });
      throw failure.error;
    }
  }

  /** Runs a call relaying its text as Server-Sent Events; the client going away cancels the job. */
  async stream<T extends "completion" | "chat">(
    request: FastifyRequest,
    reply: FastifyReply,
    call: InferenceCall<T>,
    renderer: StreamRenderer,
  ): Promise<void> {
    const started = await this.#begin(request, call);
    reply.header("x-request-id", started.meta.requestId);
    const sse = new SseWriter(reply);
    if ("replay" in started) {
      const { completed } = await this.#replay(started, call, reply);
      sse.start({});
      sse.send(renderer.start(started.meta));
      if (completed.output.text) sse.send(renderer.delta(started.meta, completed.output.text));
      for (const event of renderer.finish(started.meta, completed.output.finishReason, completed.result))
        sse.send(event);
      sse.done();
      return;
    }
    const { meta, ticket, idempotencyKey } = started;
    const startedAt = Date.now();
    const stop = new AbortController();
    let job: Job<InferenceJob, InferenceResult> | undefined;
    let headSent = false;
    try {
      const submitted = await this.#submit(call, meta, true);
      job = submitted.job;
      const finished = this.deps.client.wait(job, call.task, this.deps.timeoutMs).finally(submitted.done);
      finished.catch(() => stop.abort());
      reply.raw.on("close", () => {
        if (!reply.raw.writableFinished) stop.abort();
      });
      const context = payloadContext(meta.requestId, "text");
      let attempt = 1;
      let sentText = false;
      for await (const entry of this.deps.streams.read(meta.requestId, stop.signal)) {
        if (!headSent) {
          sse.start(ticket.headers);
          sse.send(renderer.start(meta));
          headSent = true;
        }
        if (entry.attempt < attempt) continue;
        if (entry.type === "restart") {
          attempt = entry.attempt;
          if (sentText)
            throw new ApiError(500, "The worker restarted the request after sending part of it.", "stream_interrupted");
          continue;
        }
        if (entry.type === "end") break;
        const delta = await this.deps.keyring.open(call.caller.tenantId, Buffer.from(entry.sealed, "base64"), context);
        sse.send(renderer.delta(meta, delta.toString("utf8")));
        sentText = true;
      }
      if (!sse.open && headSent) {
        // The client went away: stop the job, then bill what it generated.
        await this.#cancel(meta.requestId);
      }
      const completed = await finished;
      if (!headSent) {
        sse.start(ticket.headers);
        sse.send(renderer.start(meta));
        headSent = true;
        if (completed.output.text) sse.send(renderer.delta(meta, completed.output.text));
      }
      for (const event of renderer.finish(meta, completed.output.finishReason, completed.result)) sse.send(event);
      sse.done();
      const status = completed.output.finishReason === "cancelled" ? "cancelled" : "succeeded";
      await this.#finish(call, meta, ticket, idempotencyKey, startedAt, { status, stream: true, completed });
    } catch (error) {
      const failure = jobError(error, this.deps.timeoutMs);
      await this.#cancel(meta.requestId);
      const { status, error: apiError } = failure;
      await this.#finish(call, meta, ticket, idempotencyKey, startedAt, { status, stream: true, error: apiError, job });
      if (!headSent) throw failure.error;
      sse.fail(failure.error.body);
    }
  }

  async #begin<T extends InferenceTask>(
    request: FastifyRequest,
    call: InferenceCall<T>,
  ): Promise<
    | { meta: CallMeta; replay: IdempotencyRecord; idempotencyKey: string }
    | { meta: CallMeta; ticket: AdmissionTicket; idempotencyKey: string | undefined }
  > {
    const idempotencyKey = idempotencyKeyOf(request.headers["idempotency-key"]);
    if (!(await this.#served(call.model.slug))) {
      throw new ApiError(
        503,
        `No worker is serving the model '${call.model.slug}' right now. Try again shortly; if it persists, contact the operator.`,
        "model_unavailable",
      );
    }
    const meta: CallMeta = { requestId: request.id, created: Math.floor(Date.now() / 1000), model: call.model.slug };
    if (idempotencyKey) {
      const record: IdempotencyRecord = {
        requestId: meta.requestId,
        bodyHash: hashBody(call.body),
        created: meta.created,
      };
      const claim = await this.#redisCall(() =>
        this.deps.idempotency.claim(call.caller.tenantId, idempotencyKey, record),
      );
      if (!claim.claimed) {
        const replayMeta = { ...meta, requestId: claim.record.requestId, created: claim.record.created };
        return { meta: replayMeta, replay: claim.record, idempotencyKey };
      }
    }
    try {
      const ticket = await this.deps.admission.admit({
        request,
        caller: call.caller,
        model: call.model,
        requestId: meta.requestId,
        promptTokens: call.promptTokens,
        maxOutputTokens: call.maxOutputTokens,
        images: call.images,
      });
      return { meta, ticket, idempotencyKey };
    } catch (error) {
      if (idempotencyKey) await this.deps.idempotency.release(call.caller.tenantId, idempotencyKey).catch(() => {});
      throw error;
    }
  }

  async #served(model: string) {
    return this.#redisCall(() => this.deps.liveModels.served(model));
  }

  /** Redis down is a 503 for the caller, never a 500; a data key that does not open is not Redis's doing. */
  async #redisCall<R>(operation: () => Promise<R>): Promise<R> {
    try {
      return await operation();
    } catch (error) {
      if (error instanceof ApiError || error instanceof DecryptionError) throw error;
      throw new ApiError(503, "The request queue is unavailable right now. Try again shortly.", "queue_unavailable");
    }
  }

  /** Enqueues with the tenant's fair-share priority; `done` counts the job out when the caller stops waiting. */
  async #submit<T extends InferenceTask>(call: InferenceCall<T>, meta: CallMeta, stream: boolean) {
    const { tenantId } = call.caller;
    const model = call.model.slug;
    const priority = this.deps.fairShare.enter(model, tenantId);
    const done = () => this.deps.fairShare.leave(model, tenantId);
    try {
      const job = await this.#redisCall(() =>
        this.deps.client.submit(tenantId, model, call.task, call.input, {
          requestId: meta.requestId,
          stream,
          deadlineAt: Date.now() + this.deps.timeoutMs,
          priority,
        }),
      );
      return { job, done };
    } catch (error) {
      done();
      if (error instanceof DecryptionError) {
        this.deps.failures.report(
          "data_key_unavailable",
          "the tenant's data key does not open with the configured master keys",
          { requestId: meta.requestId, tenantId },
          error,
        );
        throw new ApiError(
          500,
          "This organization's data key cannot be opened with the server's master keys, so the request could not be encrypted; nothing was run. The operator has been alerted.",
          "data_key_unavailable",
        );
      }
      throw error;
    }
  }

  async #cancel(requestId: string) {
    await requestCancel(this.deps.redis, this.deps.prefix, requestId).catch(() => {});
  }

  /** Answers a repeat of an idempotent request with the first one's outcome, waiting for it if need be. */
  async #replay<T extends InferenceTask>(
    { meta, replay, idempotencyKey }: { meta: CallMeta; replay: IdempotencyRecord; idempotencyKey: string },
    call: InferenceCall<T>,
    reply: FastifyReply,
  ): Promise<{ meta: CallMeta; completed: Completed<T> }> {
    reply.header("idempotent-replayed", "true");
    const { tenantId } = call.caller;
    const deadline = Date.now() + this.deps.timeoutMs;
    let record: IdempotencyRecord | null = replay;
    while (Date.now() < deadline) {
      if (!record)
        throw new ApiError(409, "The first request with this Idempotency-Key failed; retry it.", "idempotency_retry");
      if (record.error) {
        const { message, code, param } = record.error.body.error;
        throw new ApiError(record.error.status, message, code, param);
      }
      if (record.result) {
        const completed = await this.deps.client.open(
          { requestId: meta.requestId, tenantId },
          call.task,
          record.result,
        );
        return { meta, completed };
      }
      // Still running: wait for its job, as the first request does.
      const job = (await this.deps.client.queue(meta.model).getJob(meta.requestId)) as
        Job<InferenceJob, InferenceResult> | undefined;
      if (job) {
        try {
          return { meta, completed: await this.deps.client.wait(job, call.task, deadline - Date.now()) };
        } catch (error) {
          throw jobError(error, this.deps.timeoutMs).error;
        }
      }
      await sleep(POLL_MS);
      record = await this.deps.idempotency.read(tenantId, idempotencyKey);
    }
    throw jobError(new Error("timed out before finishing"), this.deps.timeoutMs).error;
  }

  async #finish<T extends InferenceTask>(
    call: InferenceCall<T>,
    meta: CallMeta,
    ticket: AdmissionTicket,
    idempotencyKey: string | undefined,
    startedAt: number,
    outcome:
      | { status: RequestStatus; stream?: boolean; completed: Completed<T> }
      | {
          status: RequestStatus;
          stream?: boolean;
          error: ApiError;
          job: Job<InferenceJob, InferenceResult> | undefined;
        },
  ) {
    const finishedAt = new Date();
    const result = "completed" in outcome ? outcome.completed.result : null;
    const usage = result?.usage ?? { promptTokens: 0, completionTokens: 0, images: 0 };
    const costMicros = usageCost(call.model.price, {
      inputTokens: usage.promptTokens,
      outputTokens: usage.completionTokens,
      images: usage.images,
    });
    await ticket
      .settle({
        inputTokens: usage.promptTokens,
        outputTokens: usage.completionTokens,
        images: usage.images,
        costMicros,
      })
      .catch((error: unknown) =>
        this.deps.failures.report(
          "settle_failed",
          "a request's limits could not be settled; its lease releases the reservation",
          {
            requestId: meta.requestId,
            tenantId: call.caller.tenantId,
            script: error instanceof ScriptError ? error.script : undefined,
          },
          error,
        ),
      );
    if (idempotencyKey) {
      const record: IdempotencyRecord = {
        requestId: meta.requestId,
        bodyHash: hashBody(call.body),
        created: meta.created,
      };
      if (result)
        await this.deps.idempotency
          .complete(call.caller.tenantId, idempotencyKey, { ...record, result })
          .catch(() => {});
      else if ("error" in outcome && outcome.error.status < 500)
        await this.deps.idempotency
          .complete(call.caller.tenantId, idempotencyKey, {
            ...record,
            error: { status: outcome.error.status, body: outcome.error.body },
          })
          .catch(() => {});
      else {
        // Our failure: free the key (and the job id) so that a retry runs again.
        await this.deps.idempotency.release(call.caller.tenantId, idempotencyKey).catch(() => {});
        if ("job" in outcome) await outcome.job?.remove().catch(() => {});
      }
    }
    this.deps.usage.record({
      requestId: meta.requestId,
      tenantId: call.caller.tenantId,
      apiKeyId: call.caller.key.id,
      modelId: call.model.id,
      endpoint: call.endpoint,
      status: outcome.status,
      stream: outcome.stream ?? false,
      errorCode: "error" in outcome ? outcome.error.code : null,
      inputTokens: usage.promptTokens,
      outputTokens: usage.completionTokens,
      images: usage.images,
      costMicros,
      priceId: call.model.price.id,
      queueMs: result ? Math.round(result.timing.queueMs) : null,
      inferenceMs: result ? Math.round(result.timing.inferenceMs) : null,
      totalMs: finishedAt.getTime() - startedAt,
      // The price was chosen for this instant: the request's recorded start.
      createdAt: call.model.pricedAt,
      finishedAt,
      idempotencyKey: idempotencyKey ?? null,
      bodyHash: idempotencyKey ? hashBody(call.body) : null,
      stored: await this.#stored(call, meta, "completed" in outcome ? outcome.completed.output : null, finishedAt),
    });
  }

  /** The sealed prompt and answer, when the tenant keeps them. */
  async #stored<T extends InferenceTask>(call: InferenceCall<T>, meta: CallMeta, output: unknown, now: Date) {
    const { retention } = await this.deps.directory.tenant(call.caller.tenantId);
    const purgeAfter = promptPurgeAfter(retention, now);
    if (!purgeAfter) return null;
    const { keyring } = this.deps;
    const tenantId = call.caller.tenantId;
    const prompt = await sealStoredPart(keyring, tenantId, meta.requestId, "prompt", call.body);
    const response =
      output === null ? null : await sealStoredPart(keyring, tenantId, meta.requestId, "response", output);
    return {
      prompt,
      response,
      dataKeyId: sealedKeyId(prompt),
      purgeAfter,
    };
  }
}
