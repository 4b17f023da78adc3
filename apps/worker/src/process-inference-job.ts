import type { Redis } from "ioredis";
import type { z } from "zod";
import { DecryptionError, type TenantKeyring } from "@aiaas/core/crypto";
import { DomainError } from "@aiaas/core/platform";
import {
  float32ToBase64,
  inferenceInputs,
  openJson,
  payloadContext,
  sealJson,
  TokenStreamWriter,
  unrecoverable,
  type CancelWatcher,
  type InferenceJob,
  type InferenceOutput,
  type InferenceResult,
  type InferenceTask,
} from "@aiaas/core/queue";
import { InferenceInputError, type InferenceEngine } from "@aiaas/inference";
import { inInferenceSpan, type InferenceFacts } from "./inference-span.ts";
import { problemOf } from "./job-payload.ts";
import type { BatchGate } from "./batch-gate.ts";

export interface ProcessorDeps {
  engine: InferenceEngine;
  /** The engine's name for a model's version (its digest), or its first version; undefined: not held here. */
  engineModel: (model: string, version?: string) => string | undefined;
  keyring: TenantKeyring;
  redis: Redis;
  prefix: string;
  cancels: CancelWatcher;
  workerId: string;
  /** Batch lines after interactive work (batch-gate.ts); none: every job runs as it comes. */
  gate?: BatchGate;
  /** Whether an API key was revoked (isKeyRevoked); none: not asked. */
  keyRevoked?: (keyHash: string) => Promise<boolean>;
}

/**
 * A request that waited in the queue at least this long is looked up before
 * it runs: was its key revoked meanwhile? One picked up at once is not (a
 * revocation that close to its admission could as well have come after it),
 * so an idle queue's answers pay no extra round trip.
 */
export const REVOCATION_CHECK_AFTER_MS = 20;

interface TaskOutcome<T extends InferenceTask> {
  output: InferenceOutput<T>;
  usage: InferenceResult["usage"];
}

async function decryptInput<T extends InferenceTask>(deps: ProcessorDeps, job: InferenceJob, task: T) {
  let plaintext: unknown;
  try {
    plaintext = await openJson(deps.keyring, job.tenantId, payloadContext(job.requestId, "input"), job.input);
  } catch (error) {
    if (error instanceof DecryptionError) throw unrecoverable("undecryptable", error.message);
    if (error instanceof DomainError && error.code === "forbidden")
      throw unrecoverable("tenant_deleted", error.message);
    throw error;
  }
  const parsed = inferenceInputs[task].safeParse(plaintext);
  if (!parsed.success) throw unrecoverable("invalid_input", problemOf(parsed.error));
  return parsed.data as z.infer<(typeof inferenceInputs)[T]>;
}

async function runTask(
  deps: ProcessorDeps,
  job: InferenceJob,
  attempt: number,
  cancel: { signal: AbortSignal; checked: Promise<void> },
  facts: InferenceFacts,
): Promise<TaskOutcome<InferenceTask>> {
  const { engine } = deps;
  const model = deps.engineModel(job.model, job.version);
  // Gateways send a version some live worker holds, and promotion waits until all of them do: a retry goes elsewhere.
  if (model === undefined)
    throw new Error(`this worker does not hold version ${job.version ?? "(any)"} of ${job.model}`);
  switch (job.task) {
    case "embedding": {
      const { input } = await decryptInput(deps, job, "embedding");
      const result = await engine.embed(model, input);
      return {
        output: { embeddings: result.vectors.map(float32ToBase64) },
        usage: { promptTokens: result.promptTokens, completionTokens: 0, images: 0 },
      };
    }
    case "ocr": {
      const { image } = await decryptInput(deps, job, "ocr");
      const result = await engine.ocr(model, Buffer.from(image, "base64"));
      return { output: result, usage: { promptTokens: 0, completionTokens: 0, images: 1 } };
    }
    case "completion":
    case "chat": {
      const input =
        job.task === "chat" ? await decryptInput(deps, job, "chat") : await decryptInput(deps, job, "completion");
      const { maxTokens, temperature, topP, stop, seed, presencePenalty, frequencyPenalty, logitBias } = input;
      Object.assign(facts, { maxTokens, temperature });
      const request = {
        ...("messages" in input
          ? { messages: input.messages, responseFormat: input.responseFormat }
          : { prompt: input.prompt }),
        maxTokens,
        temperature,
        topP,
        stop,
        seed,
        presencePenalty,
        frequencyPenalty,
        logitBias,
        logprobs: input.logprobs,
      };
      let stream: TokenStreamWriter | undefined;
      let onText: ((delta: string) => void) | undefined;
      if (job.stream) {
        const seal = await deps.keyring.sealer(job.tenantId);
        const writer = new TokenStreamWriter(deps.redis, deps.prefix, job.requestId, attempt, seal);
        if (attempt > 1) await writer.restart();
        onText = (delta) => writer.text(delta);
        stream = writer;
      }
      // A request cancelled before it started generates nothing: the lookup has answered by its first token.
      await cancel.checked;
      // n choices run side by side (the decoder batches them), each sampled on its own; a stream has one.
      const results = await Promise.all(
        Array.from({ length: input.n ?? 1 }, (_, i) =>
          engine.generate(
            model,
            { ...request, seed: seed === undefined ? undefined : seed + i },
            { onText: i === 0 ? onText : undefined, signal: cancel.signal },
          ),
        ),
      );
      const [result] = results;
      if (!result) throw new Error("no choice generated");
      await stream?.end(result.finishReason);
      facts.finishReason = result.finishReason;
      const choices = results.map(({ text, finishReason, logprobs }) => ({ text, finishReason, logprobs }));
      return {
        output: {
          text: result.text,
          finishReason: result.finishReason,
          logprobs: result.logprobs,
          ...(results.length > 1 && { choices }),
        },
        usage: {
          promptTokens: result.promptTokens,
          completionTokens: results.reduce((sum, { completionTokens }) => sum + completionTokens, 0),
          images: 0,
        },
      };
    }
  }
}

/**
 * Runs one request's job (a job of its own, or a member of a group, its
 * payload read already): decrypt the input, run it, seal the output. Bad
 * input fails at once (UnrecoverableError, reason `code: message`); anything
 * else is thrown to be retried. `attempt` counts from 1, over every job that
 * carried it.
 */
export function createInferenceProcessor(deps: ProcessorDeps) {
  return async (payload: InferenceJob, attempt: number): Promise<InferenceResult> => {
    // A batch line waits here for the model's interactive work (its wait counts as queueing).
    const leave = payload.batch ? await deps.gate?.batch(payload.model) : deps.gate?.interactive(payload.model);
    try {
      return await processJob(deps, payload, attempt);
    } finally {
      leave?.();
    }
  };
}

/** One job, once its turn has come: the deadline, the task, the sealed result. */
async function processJob(deps: ProcessorDeps, payload: InferenceJob, attempt: number): Promise<InferenceResult> {
  const startedAt = Date.now();
  if (payload.deadlineAt !== undefined && startedAt > payload.deadlineAt) {
    throw unrecoverable("deadline_exceeded", "The request waited in the queue past its deadline and was not run.");
  }
  if (
    payload.keyHash &&
    deps.keyRevoked &&
    startedAt - payload.enqueuedAt >= REVOCATION_CHECK_AFTER_MS &&
    (await deps.keyRevoked(payload.keyHash))
  ) {
    throw unrecoverable(
      "revoked_api_key",
      "The API key was revoked after this request was accepted, so it was not run and nothing is charged.",
    );
  }
  // Only generations run long enough to be worth cancelling. A gateway's waiting caller gives up at the
  // job's deadline (checked above): only a stream's client (it hangs up), or a caller without a deadline,
  // can have cancelled a job before it started.
  const generating = payload.task === "completion" || payload.task === "chat";
  const cancelledEarlier = payload.stream === true || payload.deadlineAt === undefined;
  const { done, ...cancel } = generating
    ? deps.cancels.watch(payload.requestId, { cancelledEarlier })
    : { signal: new AbortController().signal, checked: Promise.resolve(), done: () => undefined };
  try {
    return await inInferenceSpan(payload, startedAt, async (facts) => {
      const { output, usage } = await runTask(deps, payload, attempt, cancel, facts);
      return {
        v: 1,
        output: await sealJson(deps.keyring, payload.tenantId, payloadContext(payload.requestId, "output"), output),
        usage,
        timing: { queueMs: Math.max(0, startedAt - payload.enqueuedAt), inferenceMs: Date.now() - startedAt },
        workerId: deps.workerId,
      };
    });
  } catch (error) {
    if (error instanceof InferenceInputError) throw unrecoverable(error.code, error.message);
    throw error;
  } finally {
    done();
  }
}
