import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import type { FastifyBaseLogger } from "fastify";
import type { Db } from "@aiaas/db";
import {
  batchLineContext,
  claimBatch,
  failBatch,
  finalizeBatch,
  parseBatchInput,
  readFileContent,
  recordBatchLine,
  releaseBatchLease,
  renewBatchLease,
  startBatch,
  writtenLines,
  type BatchEndpoint,
  type BatchInputLine,
  type BatchRow,
} from "@aiaas/core/batches";
import type { TenantKeyring } from "@aiaas/core/crypto";
import { keyDenial, loadKeyRecordById } from "@aiaas/core/keys";
import type { FailureReporter } from "@aiaas/core/platform";
import { denialError, type Caller } from "../auth/authenticate.ts";
import type { ModelDirectory } from "../directory/model-directory.ts";
import { ApiError } from "../openai-error.ts";
import { parseResetDuration } from "../pipeline/rate-limit-headers.ts";
import type { Answer, InferenceCall, RequestLifecycle } from "../pipeline/request-lifecycle.ts";
import { chatCompletionCall } from "../routes/chat-completions.ts";
import { completionCall } from "../routes/completions.ts";
import { embeddingCall } from "../routes/embeddings.ts";

export interface BatchRunnerDeps {
  /** The platform role: batches of every tenant are claimed here. */
  platformDb: Db;
  keyring: TenantKeyring;
  lifecycle: RequestLifecycle;
  directory: ModelDirectory;
  failures: FailureReporter;
  log: FastifyBaseLogger;
  /** Lines of a batch in flight at once from this gateway (GATEWAY_BATCH_CONCURRENCY). */
  concurrency: number;
  /** How long a claim holds without renewal: a dead gateway's batch resumes elsewhere after it. */
  leaseMs?: number;
  /** How often an idle runner looks for work, and a running one for a cancel. */
  pollMs?: number;
}

type LineCall = (
  directory: ModelDirectory,
  caller: Caller,
  raw: unknown,
) => Promise<{ call: InferenceCall<"chat" | "completion" | "embedding">; render: (answer: never) => unknown }>;

/** The call each endpoint makes of a line's body: the routes' own, so a line is checked, run and answered as a request is. */
const lineCalls: Record<BatchEndpoint, LineCall> = {
  "/v1/chat/completions": chatCompletionCall,
  "/v1/completions": completionCall,
  "/v1/embeddings": embeddingCall,
};

/** Keep this share of a rate limit for the tenant's interactive requests: batch lines pause below it. */
const INTERACTIVE_SHARE = 0.2;
const MAX_RETRIES = 4;
const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
  });

/**
 * Runs batches: claims one (a lease in Postgres, renewed while it runs),
 * validates its input, runs its lines through the request lifecycle as the
 * key that created it (admission, queue, usage and idempotency as for any
 * request, at batch priority and price), records each finished line once,
 * and writes the output and error files. Each line has an Idempotency-Key of
 * its own (`batch <id> <line>`, which no client can send: it has spaces),
 * so a line a dead runner left running is answered from its first run, never
 * run and billed twice; a line is written with its count in one statement.
 */
export class BatchRunner {
  readonly #owner = `${hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;
  readonly #stop = new AbortController();
  #loop: Promise<void> | undefined;

  constructor(private readonly deps: BatchRunnerDeps) {}

  get #leaseMs() {
    return this.deps.leaseMs ?? 30_000;
  }

  start() {
    this.#loop ??= this.#run();
  }

  /** Stops claiming; the batch in hand lets its lines in flight finish and is released for another gateway. */
  async stop() {
    this.#stop.abort();
    await this.#loop;
  }

  async #run() {
    const { platformDb, failures } = this.deps;
    while (!this.#stop.signal.aborted) {
      let batch: BatchRow | null = null;
      try {
        batch = await claimBatch(platformDb, this.#owner, this.#leaseMs);
        if (batch) {
          await this.#drive(batch);
          await releaseBatchLease(platformDb, batch.id, this.#owner);
        }
      } catch (error) {
        // Its lease stays until it runs out: meanwhile other batches are claimed, then this one is tried again.
        failures.report(
          "batch_failed",
          "a batch could not be driven; it is tried again when its lease runs out",
          { batchId: batch?.id },
          error,
        );
      }
      if (!batch) await sleep(this.deps.pollMs ?? 1_000, this.#stop.signal);
    }
  }

  async #drive(claimed: BatchRow) {
    const { platformDb: db, keyring } = this.deps;
    const lost = new AbortController();
    const stopped = () => lost.abort();
    this.#stop.signal.addEventListener("abort", stopped, { once: true });
    const renewal = setInterval(() => {
      renewBatchLease(db, claimed.id, this.#owner, this.#leaseMs)
        .then((held) => held || lost.abort())
        .catch(() => lost.abort());
    }, this.#leaseMs / 3);
    try {
      const input = await this.#input(claimed);
      let batch = claimed;
      if (batch.status === "validating") {
        if ("errors" in input) return await failBatch(db, batch.id, input.errors);
        await startBatch(db, batch.id, input.lines.length);
        batch = (await db.batch.findUnique({ where: { id: batch.id } })) ?? batch;
      }
      let ending: "completed" | "cancelled" | "expired" | "lost" =
        batch.status === "cancelling" ? "cancelled" : "completed";
      if (batch.status === "in_progress" && "lines" in input)
        ending = await this.#runLines(batch, input.lines, lost.signal);
      if (ending === "lost") return;
      if (ending === "expired" && "lines" in input) await this.#expireRest(batch, input.lines);
      await finalizeBatch(db, keyring, batch, ending);
      this.deps.log.info({ batchId: batch.id, status: ending }, "batch finished");
    } finally {
      clearInterval(renewal);
      this.#stop.signal.removeEventListener("abort", stopped);
    }
  }

  /** The input file's lines; a file gone or unreadable fails the batch with that reason. */
  async #input(batch: BatchRow) {
    const content = await readFileContent(this.deps.platformDb, this.deps.keyring, batch.tenantId, batch.inputFileId);
    if (!content)
      return {
        errors: [
          {
            code: "file_not_found",
            message: `The input file ${batch.inputFileId} no longer exists.`,
            param: "input_file_id",
            line: null,
          },
        ],
      };
    return parseBatchInput(content.toString("utf8"), batch.endpoint as BatchEndpoint);
  }

  /** The lines not yet written, `concurrency` at a time, until done, cancelled, expired, or the lease is lost. */
  async #runLines(batch: BatchRow, lines: BatchInputLine[], lost: AbortSignal) {
    const { platformDb: db } = this.deps;
    const written = await writtenLines(db, batch.id);
    const pending = lines.filter((line) => !written.has(line.line))[Symbol.iterator]();
    let caller = await this.#caller(batch);
    let ending: "cancelled" | "expired" | undefined;
    const watch = setInterval(() => {
      void (async () => {
        const now = await db.batch.findUnique({ where: { id: batch.id }, select: { status: true, expiresAt: true } });
        if (now?.status === "cancelling") ending = "cancelled";
        else if (now && now.expiresAt.getTime() <= Date.now()) ending = "expired";
        caller = await this.#caller(batch);
      })().catch((error: unknown) =>
        this.deps.failures.report("batch_failed", "a running batch could not be checked", { batchId: batch.id }, error),
      );
    }, this.deps.pollMs ?? 1_000);
    const worker = async () => {
      for (let next = pending.next(); !next.done; next = pending.next()) {
        if (ending || lost.aborted) return;
        await this.#runLine(batch, caller, next.value, lost);
      }
    };
    try {
      await Promise.all(Array.from({ length: this.deps.concurrency }, worker));
    } finally {
      clearInterval(watch);
    }
    return lost.aborted ? ("lost" as const) : (ending ?? ("completed" as const));
  }

  /** The key that created the batch, as a request's caller; a key revoked or expired since fails the lines left. */
  async #caller(batch: BatchRow): Promise<Caller | ApiError> {
    const loaded = await loadKeyRecordById(batch.apiKeyId, this.deps.platformDb);
    if (!loaded) return denialError("unknown", null);
    const denial = keyDenial(loaded.record, Date.now());
    return denial ? denialError(denial, loaded.record) : { key: loaded.record, tenantId: batch.tenantId };
  }

  /**
   * One line to its answer (or its error): rate limits wait and retry, our
   * transient failures retry a few times, the caller's mistakes are the
   * line's error. Then it is written, sealed, once.
   */
  async #runLine(batch: BatchRow, caller: Caller | ApiError, line: BatchInputLine, lost: AbortSignal) {
    const idempotencyKey = `batch ${batch.id} ${line.line}`;
    let outcome: { statusCode: number; requestId: string | null; body: unknown } | undefined;
    for (let attempt = 0; !outcome; attempt++) {
      if (lost.aborted) return;
      const requestId = `req_${randomBytes(16).toString("hex")}`;
      try {
        if (caller instanceof ApiError) throw caller;
        if (line.body.stream === true)
          throw new ApiError(400, "A batch line cannot be streamed: leave 'stream' out.", "invalid_value", "stream");
        const { call, render } = await lineCalls[batch.endpoint as BatchEndpoint](
          this.deps.directory,
          caller,
          line.body,
        );
        const answer = await this.deps.lifecycle.answer({ ...call, batch: true }, { requestId, idempotencyKey });
        outcome = { statusCode: 200, requestId: answer.meta.requestId, body: render(answer as never) };
        await this.#leaveRoom(answer, lost);
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        if (error.status === 429 || error.code === "idempotency_retry") {
          await sleep(
            Math.max(
              250,
              Number(error.headers["retry-after-ms"] ?? 0) || Number(error.headers["retry-after"] ?? 1) * 1000,
            ),
            lost,
          );
          continue;
        }
        if (error.status >= 500 && attempt < MAX_RETRIES) {
          await sleep(500 * 4 ** attempt, lost);
          continue;
        }
        outcome = { statusCode: error.status, requestId, body: error.body };
      }
    }
    await this.#write(batch, line, outcome);
  }

  /** Below the tenant's reserved share of a rate limit, batch lines wait for its window to turn. */
  async #leaveRoom(answer: Answer<never>, lost: AbortSignal) {
    for (const unit of ["requests", "tokens"]) {
      const limit = Number(answer.headers[`x-ratelimit-limit-${unit}`]);
      const remaining = Number(answer.headers[`x-ratelimit-remaining-${unit}`]);
      if (limit > 0 && remaining < limit * INTERACTIVE_SHARE)
        await sleep(parseResetDuration(answer.headers[`x-ratelimit-reset-${unit}`]), lost);
    }
  }

  async #write(
    batch: BatchRow,
    line: BatchInputLine,
    outcome: { statusCode: number; requestId: string | null; body: unknown },
  ) {
    const result = {
      id: `batch_req_${(outcome.requestId ?? randomBytes(16).toString("hex")).replace(/^req_/, "")}`,
      custom_id: line.customId,
      response: { status_code: outcome.statusCode, request_id: outcome.requestId, body: outcome.body },
      error: null,
    };
    const sealed = await this.deps.keyring.seal(
      batch.tenantId,
      Buffer.from(JSON.stringify(result), "utf8"),
      batchLineContext(batch.id, line.line),
    );
    await recordBatchLine(this.deps.platformDb, {
      batchId: batch.id,
      tenantId: batch.tenantId,
      line: line.line,
      customId: line.customId,
      requestId: outcome.requestId,
      statusCode: outcome.statusCode,
      result: new Uint8Array(sealed),
    });
  }

  /** The window closed: the lines not run are errors of their own (`batch_expired`), as at OpenAI. */
  async #expireRest(batch: BatchRow, lines: BatchInputLine[]) {
    const written = await writtenLines(this.deps.platformDb, batch.id);
    for (const line of lines.filter((candidate) => !written.has(candidate.line))) {
      const error = new ApiError(
        400,
        "This line was not run before the batch's completion window ended.",
        "batch_expired",
      );
      await this.#write(batch, line, { statusCode: 400, requestId: null, body: error.body });
    }
  }
}
