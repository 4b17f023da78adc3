import type { ChainableCommander, Redis } from "ioredis";
import { usageCost } from "@aiaas/core/billing";
import { DecryptionError, sealedKeyId, type TenantKeyring } from "@aiaas/core/crypto";
import { ScriptError, type FailureReporter } from "@aiaas/core/platform";
import {
  requestCancel,
  tokenStreamKey,
  type Completed,
  type FairShare,
  type InferenceClient,
  type InferenceInput,
  type InferenceTask,
  type SubmittedJob,
  TokenStreamOrder,
  TokenStreamOutOfOrder,
  type TokenStreamReader,
} from "@aiaas/core/queue";
import { promptPurgeAfter } from "@aiaas/core/tenants";
import { sealStoredPart } from "@aiaas/core/usage";
import type { RequestStatus } from "@aiaas/db";
import type { Caller } from "../auth/authenticate.ts";
import type { ModelDirectory, PricedModel } from "../directory/model-directory.ts";
import { withKeepAlive } from "./keep-alive.ts";
import { ApiError } from "../openai-error.ts";
import type { UsageRecord } from "../usage/usage-record.ts";
import type { UsageRecorder } from "../usage/usage-recorder.ts";
import type { Admission, AdmissionTicket } from "./admission.ts";
import type { IdempotencyRecord, IdempotencyStore } from "./idempotency.ts";
import { jobError } from "./job-errors.ts";
import type { LiveModels } from "./live-models.ts";
import type { ApiMetrics } from "../metrics/api-metrics.ts";

export interface LifecycleDeps {
  redis: Redis;
  /** Follows the token streams of every streamed request, over one connection. */
  streams: TokenStreamReader;
  prefix: string;
  keyring: TenantKeyring;
  client: InferenceClient;
  directory: ModelDirectory;
  admission: Admission;
  idempotency: IdempotencyStore;
  recorder: UsageRecorder;
  liveModels: LiveModels;
  fairShare: FairShare;
  failures: FailureReporter;
  /** Tokens, queue wait, time to first token and admission latency, on /metrics. */
  metrics: ApiMetrics;
  timeoutMs: number;
  /** How long a streamed answer may be silent before a keep-alive goes out (15 s by default). */
  keepAliveMs?: number;
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
  /**
   * Checks a whole answer against what the request asked for, before it is
   * billed: an ApiError it throws is the answer, and nothing is charged.
   */
  accept?: (completed: Completed<T>) => void;
  /** A line of a batch (the Batches API): queued behind interactive work, charged the price's batch percentage. */
  batch?: boolean;
}

/**
 * Added to a batch line's job priority (BullMQ: lower runs first): any
 * interactive job waiting for the model runs before it. Below BullMQ's
 * largest priority (2^21), with room for fair share's counts.
 */
export const BATCH_PRIORITY = 1_000_000;

/** Who the request is: its id (also its job's), and the client's Idempotency-Key if it sent one. */
export interface RequestIds {
  requestId: string;
  idempotencyKey: string | undefined;
}

/** What every answer of one request shares, replays included. */
export interface CallMeta {
  requestId: string;
  created: number;
  /** The name the request asked for (`id`, `id:alias`, `id@version`), as answers repeat it. */
  model: string;
  /** The model's id: its queue. */
  slug: string;
}

export interface Answer<T extends InferenceTask> {
  meta: CallMeta;
  /** The limits' headers of the admission (none for a replay). */
  headers: Record<string, string>;
  /** A repeat of an idempotent request, answered with the first one's outcome. */
  replayed: boolean;
  completed: Completed<T>;
}

export type StreamEvent<T extends InferenceTask> =
  | { type: "head"; meta: CallMeta; headers: Record<string, string>; replayed: boolean }
  | { type: "text"; text: string }
  /** Nothing yet (the request waits in the queue): said every `keepAliveMs` so that silent proxies keep the connection. */
  | { type: "waiting" }
  /** The last event: usage is recorded by now. */
  | { type: "end"; completed: Completed<T> };

/** Thrown by a stream that fails after its head: the text sent so far stands, the answer ends with this error. */
export class StreamFailure extends Error {
  override name = "StreamFailure";

  constructor(readonly error: ApiError) {
    super(error.message);
  }
}

type Outcome<T extends InferenceTask> =
  | { status: RequestStatus; stream?: boolean; completed: Completed<T> }
  | { status: RequestStatus; stream?: boolean; error: ApiError; job: SubmittedJob | undefined };

const POLL_MS = 15;

/** OpenAI's `user` of a request body, if it sent one. */
const endUserOf = (body: unknown) => {
  const user = (body as { user?: unknown } | null)?.user;
  return typeof user === "string" && user.length > 0 ? user : null;
};
/** How often a repeat looks at the first request's job while it waits for that request's outcome. */
const ORPHAN_LOOK_MS = 1_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * One request to a model, from admission to its usage record; it knows no
 * HTTP (the routes' adapter is inference-http.ts). In order:
 *
 * 1. begin: a live worker must serve the model; the Idempotency-Key is
 *    claimed (a repeat is answered with the first request's outcome);
 *    admission takes every limit of the key and its tenant, or refuses.
 * 2. submit: the input is sealed with the tenant's data key and enqueued
 *    (job id = request id) at the tenant's fair-share priority.
 * 3. wait, or stream: the result, or the text as the worker writes it.
 * 4. finish: the admission is settled to the real usage, and the usage
 *    record is made durable (the recorder) before the answer may leave;
 *    then the Idempotency-Key is completed, so that a repeat finds it.
 *
 * How a job's end reaches this gateway (each path exists because another can fail):
 * - reply channel (InferenceClient): the worker publishes the result on this
 *   gateway's own channel as soon as it has it. The fast path.
 * - job record (InferenceClient, every 2 s without a reply): pub/sub keeps
 *   nothing, so a reply lost in transit is found in BullMQ's record of the job.
 * - replay (here): a repeat of an idempotent request polls the first one's
 *   record, which holds its outcome once that request has finished.
 * - token stream (TokenStreamReader): a streamed request reads the text as it
 *   is written; its end still arrives by the reply, with the usage.
 */
export class RequestLifecycle {
  constructor(private readonly deps: LifecycleDeps) {}

  /** Runs a call to its completed output. */
  async answer<T extends InferenceTask>(call: InferenceCall<T>, ids: RequestIds): Promise<Answer<T>> {
    const started = await this.#begin(call, ids);
    if ("replay" in started) {
      return { meta: started.meta, headers: {}, replayed: true, completed: await this.#replay(started, call) };
    }
    const { meta, ticket } = started;
    const startedAt = Date.now();
    let job: SubmittedJob | undefined;
    let completed: Completed<T>;
    try {
      const submitted = await this.#submit(call, meta, ids, false);
      job = submitted.job;
      completed = await this.deps.client.wait(job, call.task, this.deps.timeoutMs).finally(submitted.done);
    } catch (error) {
      const failure = this.#jobFailure(error, call, meta);
      if (failure.status === "timed_out") await this.#cancel(meta.requestId);
      await this.#finish(call, meta, ticket, ids, startedAt, { status: failure.status, error: failure.error, job });
      throw failure.error;
    }
    const refusal = this.#refusal(call, completed);
    if (refusal) {
      await this.#finish(call, meta, ticket, ids, startedAt, { status: "failed", error: refusal, job });
      throw refusal;
    }
    await this.#finish(call, meta, ticket, ids, startedAt, { status: "succeeded", completed });
    return { meta, headers: ticket.headers, replayed: false, completed };
  }

  /**
   * Runs a call, yielding its text as it is generated. `signal` aborts when
   * the client goes away: the job is cancelled and what it generated is billed.
   */
  async *stream<T extends "completion" | "chat">(
    call: InferenceCall<T>,
    ids: RequestIds,
    signal: AbortSignal,
  ): AsyncGenerator<StreamEvent<T>> {
    const started = await this.#begin(call, ids);
    if ("replay" in started) {
      const completed = await this.#replay(started, call);
      yield { type: "head", meta: started.meta, headers: {}, replayed: true };
      if (completed.output.text) yield { type: "text", text: completed.output.text };
      yield { type: "end", completed };
      return;
    }
    const { meta, ticket } = started;
    const startedAt = Date.now();
    const stop = new AbortController();
    const onGone = () => stop.abort();
    signal.addEventListener("abort", onGone, { once: true });
    let job: SubmittedJob | undefined;
    let headSent = false;
    let completed: Completed<T>;
    try {
      const submitted = await this.#submit(call, meta, ids, true);
      job = submitted.job;
      const finished = this.deps.client.wait(job, call.task, this.deps.timeoutMs).finally(submitted.done);
      // A job that fails ends the stream's read; its failure is thrown below.
      finished.catch(() => stop.abort());
      const order = new TokenStreamOrder(meta.requestId);
      let opener: ((sealed: Uint8Array, context: string) => Buffer) | undefined;
      let sentText = false;
      const entries = this.deps.streams.read(meta.requestId, stop.signal);
      for await (const entry of withKeepAlive(entries, this.deps.keepAliveMs ?? 15_000)) {
        if (!headSent) {
          yield { type: "head", meta, headers: ticket.headers, replayed: false };
          headSent = true;
        }
        if (entry === null) {
          yield { type: "waiting" };
          continue;
        }
        const step = this.#inOrder(call, meta, () => order.follow(entry));
        if (step.kind === "void") continue;
        if (step.kind === "restart") {
          if (sentText)
            throw new ApiError(500, "The worker restarted the request after sending part of it.", "stream_interrupted");
          continue;
        }
        const sealed = Buffer.from(step.sealed, "base64");
        opener ??= await this.#streamOpener(call, meta, sealed);
        const open = opener;
        const text = this.#inOrder(call, meta, () => open(sealed, step.context).toString("utf8"));
        if (step.kind === "end") break;
        if (!sentText) this.deps.metrics.firstToken(call.model.slug, (Date.now() - startedAt) / 1000);
        yield { type: "text", text };
        sentText = true;
      }
      if (!stop.signal.aborted) this.#inOrder(call, meta, () => order.assertEnded());
      // The client went away: stop the job, then bill what it generated.
      if (signal.aborted) await this.#cancel(meta.requestId);
      completed = await finished;
    } catch (error) {
      const failure = this.#jobFailure(error, call, meta);
      await this.#cancel(meta.requestId);
      const { status, error: apiError } = failure;
      await this.#finish(call, meta, ticket, ids, startedAt, { status, stream: true, error: apiError, job });
      throw headSent ? new StreamFailure(failure.error) : failure.error;
    } finally {
      signal.removeEventListener("abort", onGone);
      this.#dropTokenStream(meta.requestId);
    }
    if (!headSent) {
      yield { type: "head", meta, headers: ticket.headers, replayed: false };
      if (completed.output.text) yield { type: "text", text: completed.output.text };
    }
    const status = completed.output.finishReason === "cancelled" ? "cancelled" : "succeeded";
    try {
      await this.#finish(call, meta, ticket, ids, startedAt, { status, stream: true, completed });
    } catch (error) {
      throw error instanceof ApiError ? new StreamFailure(error) : error;
    }
    yield { type: "end", completed };
  }

  async #begin<T extends InferenceTask>(
    call: InferenceCall<T>,
    ids: RequestIds,
  ): Promise<
    { meta: CallMeta; replay: IdempotencyRecord; idempotencyKey: string } | { meta: CallMeta; ticket: AdmissionTicket }
  > {
    const { idempotencyKey } = ids;
    if (!(await this.#redisCall(() => this.deps.liveModels.served(call.model.slug, call.model.version?.sha256)))) {
      throw new ApiError(
        503,
        `No worker is serving the model '${call.model.name}' right now. Try again shortly; if it persists, contact the operator.`,
        "model_unavailable",
      );
    }
    const meta: CallMeta = {
      requestId: ids.requestId,
      created: Math.floor(Date.now() / 1000),
      model: call.model.name,
      slug: call.model.slug,
    };
    if (idempotencyKey) {
      const record = this.#keyRecord(call, meta);
      const claim = await this.#redisCall(() =>
        this.deps.idempotency.claim(call.caller.tenantId, idempotencyKey, record),
      );
      if (!claim.claimed) {
        const replayMeta = { ...meta, requestId: claim.record.requestId, created: claim.record.created };
        return { meta: replayMeta, replay: claim.record, idempotencyKey };
      }
    }
    try {
      const ticket = await this.deps.metrics.admission(() =>
        this.deps.admission.admit({
          caller: call.caller,
          model: call.model,
          requestId: meta.requestId,
          promptTokens: call.promptTokens,
          maxOutputTokens: call.maxOutputTokens,
          images: call.images,
        }),
      );
      return { meta, ticket };
    } catch (error) {
      if (idempotencyKey) await this.#releaseKey(call, meta, idempotencyKey);
      throw error;
    }
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

  /**
   * Enqueues with the tenant's fair-share priority; `done` counts the job out when the caller stops waiting.
   * A request with an Idempotency-Key (batch lines have one) travels alone: its repeats look for its job by its id.
   */
  async #submit<T extends InferenceTask>(call: InferenceCall<T>, meta: CallMeta, ids: RequestIds, stream: boolean) {
    const { tenantId } = call.caller;
    const model = call.model.slug;
    // Batch lines wait behind every interactive job, and do not count against their tenant's fair share.
    const priority = call.batch ? BATCH_PRIORITY : this.deps.fairShare.enter(model, tenantId);
    const done = () => {
      if (!call.batch) this.deps.fairShare.leave(model, tenantId);
    };
    try {
      const job = await this.#redisCall(() =>
        this.deps.client.submit(tenantId, model, call.task, call.input, {
          requestId: meta.requestId,
          stream,
          deadlineAt: Date.now() + this.deps.timeoutMs,
          priority,
          version: call.model.version?.sha256,
          batch: call.batch,
          alone: ids.idempotencyKey !== undefined,
          keyHash: call.caller.keyHash,
        }),
      );
      return { job, done };
    } catch (error) {
      done();
      if (error instanceof DecryptionError) throw this.#dataKeyUnavailable(call, meta, error);
      throw error;
    }
  }

  /** The tenant's key that opens a stream's entries; one this server cannot open is the operator's to fix. */
  async #streamOpener<T extends InferenceTask>(call: InferenceCall<T>, meta: CallMeta, first: Uint8Array) {
    try {
      return await this.deps.keyring.opener(call.caller.tenantId, first);
    } catch (error) {
      if (error instanceof DecryptionError) throw this.#dataKeyUnavailable(call, meta, error);
      throw error;
    }
  }

  /**
   * A step of reading a token stream whose entries must come in order and
   * open under their place in it: one that does not was dropped, repeated,
   * moved or altered by whoever can write to Redis, and ends the stream.
   */
  #inOrder<T extends InferenceTask, R>(call: InferenceCall<T>, meta: CallMeta, step: () => R): R {
    try {
      return step();
    } catch (error) {
      if (!(error instanceof TokenStreamOutOfOrder || error instanceof DecryptionError)) throw error;
      throw this.#ourFault(call, meta, error, {
        code: "stream_tampered",
        logged: "a streamed answer's entries in Redis were out of order or altered",
        told: "The streamed answer arrived altered on its way from the model, so it was stopped here. The operator has been alerted; retry the request.",
      });
    }
  }

  #dataKeyUnavailable<T extends InferenceTask>(call: InferenceCall<T>, meta: CallMeta, error: DecryptionError) {
    return this.#ourFault(call, meta, error, {
      code: "data_key_unavailable",
      logged: "the tenant's data key does not open with the configured master keys",
      told: "This organization's data key cannot be opened with the server's master keys, so the request could not be encrypted; nothing was run. The operator has been alerted.",
    });
  }

  /** A failure of ours the operator must hear of: logged and counted under `code`, and a 500 naming it for the caller. */
  #ourFault<T extends InferenceTask>(
    call: InferenceCall<T>,
    meta: CallMeta,
    error: unknown,
    fault: { code: "stream_tampered" | "data_key_unavailable"; logged: string; told: string },
  ) {
    this.deps.failures.report(
      fault.code,
      fault.logged,
      { requestId: meta.requestId, tenantId: call.caller.tenantId },
      error,
    );
    return new ApiError(500, fault.told, fault.code);
  }

  /** Asks the worker to stop the job (a client gone, a timeout); one that cannot be asked runs to its end. */
  async #cancel(requestId: string) {
    await requestCancel(this.deps.redis, this.deps.prefix, requestId).catch((error: unknown) =>
      this.deps.failures.report("job_cleanup_failed", "a job could not be asked to stop", { requestId }, error),
    );
  }

  /**
   * Answers a repeat of an idempotent request with the first one's outcome,
   * waiting for its record to hold one. A first request that ended without
   * recording an outcome (its gateway died before it answered) frees the
   * key: the repeat is told to retry, and that retry runs.
   */
  async #replay<T extends InferenceTask>(
    { meta, replay, idempotencyKey }: { meta: CallMeta; replay: IdempotencyRecord; idempotencyKey: string },
    call: InferenceCall<T>,
  ): Promise<Completed<T>> {
    const { tenantId } = call.caller;
    const deadline = Date.now() + this.deps.timeoutMs;
    let record: IdempotencyRecord | null = replay;
    let pause = POLL_MS;
    let lookAt = Date.now() + ORPHAN_LOOK_MS;
    let endedAt: number | undefined;
    while (Date.now() < deadline) {
      if (!record)
        throw new ApiError(409, "The first request with this Idempotency-Key failed; retry it.", "idempotency_retry");
      if (record.error) {
        const { message, code, param } = record.error.body.error;
        throw new ApiError(record.error.status, message, code, param);
      }
      if (record.result)
        return this.deps.client.open({ requestId: meta.requestId, tenantId }, call.task, record.result);
      if (Date.now() >= lookAt) {
        lookAt = Date.now() + ORPHAN_LOOK_MS;
        // Its job has ended (or is gone) and still no outcome: give its gateway a moment, then free the key.
        if (await this.#jobEnded(meta)) endedAt ??= Date.now();
        if (endedAt !== undefined && Date.now() - endedAt > ORPHAN_LOOK_MS * 3) {
          await this.#releaseKey(call, meta, idempotencyKey);
          record = null;
          continue;
        }
      }
      await sleep(pause);
      pause = Math.min(pause * 2, 250);
      record = await this.deps.idempotency.read(tenantId, idempotencyKey);
    }
    throw jobError(new Error("timed out before finishing"), this.deps.timeoutMs).error;
  }

  async #jobEnded(meta: CallMeta) {
    const job = await this.deps.client.queue(meta.slug).getJob(meta.requestId);
    const state = job ? await job.getState() : "unknown";
    return state === "completed" || state === "failed" || state === "unknown";
  }

  /** The caller's refusal of an output it asked for in a way the model cannot give (see `accept`). */
  #refusal<T extends InferenceTask>(call: InferenceCall<T>, completed: Completed<T>): ApiError | undefined {
    try {
      call.accept?.(completed);
      return undefined;
    } catch (error) {
      if (error instanceof ApiError) return error;
      throw error;
    }
  }

  /** A job's failure as the caller's answer; a lost reply is reported (the work was done, and is not billed). */
  #jobFailure<T extends InferenceTask>(error: unknown, call: InferenceCall<T>, meta: CallMeta) {
    const failure = jobError(error, this.deps.timeoutMs);
    if (failure.error.code === "reply_lost") {
      this.deps.failures.report(
        "reply_lost",
        "a job ended but its result never reached this gateway",
        { requestId: meta.requestId, tenantId: call.caller.tenantId },
        error,
      );
    }
    return failure;
  }

  /** A streamed request's text is delivered (or never will be): it leaves Redis now, not when its TTL runs out. */
  #dropTokenStream(requestId: string) {
    this.deps.redis
      .unlink(tokenStreamKey(this.deps.prefix, requestId))
      .catch((error: unknown) =>
        this.deps.failures.report(
          "job_cleanup_failed",
          "a delivered token stream could not be deleted; it expires by itself",
          { requestId },
          error,
        ),
      );
  }

  /**
   * Settles the admission and makes the usage record durable, together (one
   * round trip to Redis); then completes the Idempotency-Key. A billable
   * answer whose record is durable nowhere is withheld: a 503, never free.
   */
  async #finish<T extends InferenceTask>(
    call: InferenceCall<T>,
    meta: CallMeta,
    ticket: AdmissionTicket,
    { idempotencyKey }: RequestIds,
    startedAt: number,
    outcome: Outcome<T>,
  ) {
    const finishedAt = new Date();
    const result = "completed" in outcome ? outcome.completed.result : null;
    const usage = result?.usage ?? { promptTokens: 0, completionTokens: 0, images: 0 };
    if (result) this.deps.metrics.answered(call.model.slug, usage, result.timing.queueMs);
    const listCost = usageCost(call.model.price, {
      inputTokens: usage.promptTokens,
      outputTokens: usage.completionTokens,
      images: usage.images,
    });
    const costMicros = call.batch ? (listCost * BigInt(call.model.price.batchPercent)) / 100n : listCost;
    const record: UsageRecord = {
      requestId: meta.requestId,
      tenantId: call.caller.tenantId,
      apiKeyId: call.caller.key.id,
      modelId: call.model.id,
      modelVersionId: call.model.version?.id ?? null,
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
      endUser: endUserOf(call.body),
      bodyHash: idempotencyKey ? this.deps.idempotency.bodyHash(call.caller.tenantId, call.body) : null,
      stored: await this.#stored(call, meta, "completed" in outcome ? outcome.completed.output : null, finishedAt),
    };
    const settled = ticket
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
    // A completed answer's outcome is kept for the key's repeats in the same MULTI as its usage record:
    // billed and findable together, or neither (a gateway killed in between would leave a retry to run and bill again).
    const along =
      idempotencyKey && "completed" in outcome
        ? (multi: ChainableCommander) =>
            this.deps.idempotency.completeIn(multi, call.caller.tenantId, idempotencyKey, {
              ...this.#keyRecord(call, meta),
              result: outcome.completed.result,
            })
        : undefined;
    const [, recorded] = await Promise.allSettled([settled, this.deps.recorder.record(record, along)]);
    if (recorded.status === "rejected") {
      if (idempotencyKey) await this.#releaseKey(call, meta, idempotencyKey);
      // A failure answers as itself (its record was reported); an answer that would go unbilled is withheld.
      if ("completed" in outcome) {
        throw new ApiError(
          503,
          "The answer could not be recorded for billing, so it is withheld and nothing is charged. Retry shortly.",
          "usage_unavailable",
        );
      }
      return;
    }
    if (idempotencyKey && !recorded.value.along) await this.#completeKey(call, meta, idempotencyKey, outcome);
  }

  /** Keeps the outcome for repeats of the request; after a failure of ours, frees the key (and the job id) to run again. */
  async #completeKey<T extends InferenceTask>(
    call: InferenceCall<T>,
    meta: CallMeta,
    idempotencyKey: string,
    outcome: Outcome<T>,
  ) {
    const record = this.#keyRecord(call, meta);
    const { tenantId } = call.caller;
    const failed = (error: unknown) =>
      this.deps.failures.report(
        "idempotency_failed",
        "an Idempotency-Key's outcome could not be kept; its repeats wait for the job",
        { requestId: meta.requestId, tenantId },
        error,
      );
    if ("completed" in outcome) {
      await this.deps.idempotency
        .complete(tenantId, idempotencyKey, { ...record, result: outcome.completed.result })
        .catch(failed);
    } else if (outcome.error.status < 500) {
      const error = { status: outcome.error.status, body: outcome.error.body };
      await this.deps.idempotency.complete(tenantId, idempotencyKey, { ...record, error }).catch(failed);
    } else {
      await this.#releaseKey(call, meta, idempotencyKey);
      await outcome.job
        ?.remove()
        .catch((error: unknown) =>
          this.deps.failures.report(
            "job_cleanup_failed",
            "a failed job could not be removed; a retry with its Idempotency-Key waits for it",
            { requestId: meta.requestId, tenantId },
            error,
          ),
        );
    }
  }

  /** What an Idempotency-Key stands for, before its outcome. */
  #keyRecord<T extends InferenceTask>(call: InferenceCall<T>, meta: CallMeta): IdempotencyRecord {
    return {
      requestId: meta.requestId,
      bodyHash: this.deps.idempotency.bodyHash(call.caller.tenantId, call.body),
      created: meta.created,
    };
  }

  async #releaseKey<T extends InferenceTask>(call: InferenceCall<T>, meta: CallMeta, idempotencyKey: string) {
    await this.deps.idempotency
      .release(call.caller.tenantId, idempotencyKey)
      .catch((error: unknown) =>
        this.deps.failures.report(
          "idempotency_failed",
          "an Idempotency-Key could not be freed; it stays taken until it expires",
          { requestId: meta.requestId, tenantId: call.caller.tenantId },
          error,
        ),
      );
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
    return { prompt, response, dataKeyId: sealedKeyId(prompt), purgeAfter };
  }
}
