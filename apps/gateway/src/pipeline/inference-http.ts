import type { FastifyReply, FastifyRequest } from "fastify";
import type { InferenceResult, InferenceTask } from "@aiaas/core/queue";
import { idempotencyKeyOf } from "./idempotency.ts";
import {
  StreamFailure,
  type Answer,
  type CallMeta,
  type InferenceCall,
  type RequestIds,
  type RequestLifecycle,
} from "./request-lifecycle.ts";
import { SseWriter } from "./sse.ts";

/** Renders a stream's events from the worker's text, in the endpoint's chunk shape. */
export interface StreamRenderer {
  start(meta: CallMeta): unknown;
  delta(meta: CallMeta, text: string): unknown;
  finish(meta: CallMeta, finishReason: string, result: InferenceResult | null): unknown[];
}

const idsOf = (request: FastifyRequest): RequestIds => ({
  requestId: request.id,
  idempotencyKey: idempotencyKeyOf(request.headers["idempotency-key"]),
});

/**
 * The request lifecycle over HTTP: the Idempotency-Key header in, the
 * request id, limit and replay headers out, and a stream as Server-Sent
 * Events. Errors before the head are thrown for the error handler (OpenAI's
 * shape); after it, they end the event stream with an error event.
 */
export class InferenceHttp {
  constructor(private readonly lifecycle: RequestLifecycle) {}

  /** Runs a call and returns its answer for the route to render; its headers are set on the reply. */
  async answer<T extends InferenceTask>(
    request: FastifyRequest,
    reply: FastifyReply,
    call: InferenceCall<T>,
  ): Promise<Answer<T>> {
    const answer = await this.lifecycle.answer(call, idsOf(request));
    reply.header("x-request-id", answer.meta.requestId).headers(answer.headers);
    if (answer.replayed) reply.header("idempotent-replayed", "true");
    return answer;
  }

  /** Runs a call relaying its text as Server-Sent Events; the client going away cancels the job. */
  async stream<T extends "completion" | "chat">(
    request: FastifyRequest,
    reply: FastifyReply,
    call: InferenceCall<T>,
    renderer: StreamRenderer,
  ): Promise<void> {
    const gone = new AbortController();
    reply.raw.on("close", () => {
      if (!reply.raw.writableFinished) gone.abort();
    });
    const sse = new SseWriter(reply);
    let meta: CallMeta | undefined;
    try {
      for await (const event of this.lifecycle.stream(call, idsOf(request), gone.signal)) {
        if (event.type === "head") {
          meta = event.meta;
          reply.header("x-request-id", meta.requestId);
          if (event.replayed) reply.header("idempotent-replayed", "true");
          sse.start(event.headers);
          sse.send(renderer.start(meta));
        } else if (event.type === "waiting") {
          sse.comment("waiting in the queue");
        } else if (event.type === "text" && meta) {
          sse.send(renderer.delta(meta, event.text));
        } else if (event.type === "end" && meta) {
          const { output, result } = event.completed;
          for (const chunk of renderer.finish(meta, output.finishReason, result)) sse.send(chunk);
          sse.done();
        }
      }
    } catch (error) {
      if (!(error instanceof StreamFailure)) throw error;
      sse.fail(error.error.body);
    }
  }
}
