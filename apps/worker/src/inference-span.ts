import { SpanKind, SpanStatusCode, type Span } from "@opentelemetry/api";
import {
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MAX_TOKENS,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_REQUEST_STREAM,
  ATTR_GEN_AI_REQUEST_TEMPERATURE,
  ATTR_GEN_AI_RESPONSE_FINISH_REASONS,
  ATTR_GEN_AI_RESPONSE_MODEL,
  ATTR_GEN_AI_USAGE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
} from "@opentelemetry/semantic-conventions/incubating";
import { queues, type InferenceJob, type InferenceResult, type InferenceTask } from "@aiaas/core/queue";
import { traceContextFrom, tracer } from "@aiaas/core/telemetry";

/** GenAI semantic conventions' operation per task (OCR, image to text, is content generation). */
const operations = {
  embedding: "embeddings",
  chat: "chat",
  completion: "text_completion",
  ocr: "generate_content",
} as const satisfies Record<InferenceTask, string>;

/** What a span may say of a request: ids, the model, sizes and settings. Never its text. */
export interface InferenceFacts {
  maxTokens?: number;
  temperature?: number;
  finishReason?: string;
}

/**
 * Runs a job's work inside the spans of its request's trace (the gateway's
 * context travels in the job): `queue wait` from the gateway's enqueue to
 * the worker's start, then `<operation> <model>` (OpenTelemetry GenAI
 * semantic conventions: kind INTERNAL, as the model runs in this process)
 * with tokens, tenant and wait. A failure sets the span's status to its
 * code, never its message (which could quote input).
 */
export function inInferenceSpan(
  job: InferenceJob,
  startedAt: number,
  work: (facts: InferenceFacts) => Promise<InferenceResult>,
): Promise<InferenceResult> {
  const parent = traceContextFrom(job.trace);
  const common = {
    "aiaas.tenant.id": job.tenantId,
    "aiaas.request.id": job.requestId,
    [ATTR_GEN_AI_REQUEST_MODEL]: job.model,
  };
  tracer()
    .startSpan(
      "queue wait",
      {
        kind: SpanKind.CONSUMER,
        startTime: job.enqueuedAt,
        attributes: {
          ...common,
          "messaging.system": "bullmq",
          "messaging.destination.name": queues.inference.name(job.model),
        },
      },
      parent,
    )
    .end(startedAt);
  const operation = operations[job.task];
  const attributes = {
    ...common,
    [ATTR_GEN_AI_OPERATION_NAME]: operation,
    [ATTR_GEN_AI_PROVIDER_NAME]: "aiaas",
    [ATTR_GEN_AI_REQUEST_STREAM]: job.stream ?? false,
    "aiaas.queue.wait_ms": Math.max(0, startedAt - job.enqueuedAt),
  };
  const options = { kind: SpanKind.INTERNAL, startTime: startedAt, attributes };
  return tracer().startActiveSpan(`${operation} ${job.model}`, options, parent, async (span: Span) => {
    const facts: InferenceFacts = {};
    try {
      const result = await work(facts);
      span.setAttributes({
        [ATTR_GEN_AI_RESPONSE_MODEL]: job.model,
        [ATTR_GEN_AI_USAGE_INPUT_TOKENS]: result.usage.promptTokens,
        [ATTR_GEN_AI_USAGE_OUTPUT_TOKENS]: result.usage.completionTokens,
        "aiaas.usage.images": result.usage.images,
        ...(facts.maxTokens !== undefined && { [ATTR_GEN_AI_REQUEST_MAX_TOKENS]: facts.maxTokens }),
        ...(facts.temperature !== undefined && { [ATTR_GEN_AI_REQUEST_TEMPERATURE]: facts.temperature }),
        ...(facts.finishReason !== undefined && { [ATTR_GEN_AI_RESPONSE_FINISH_REASONS]: [facts.finishReason] }),
      });
      return result;
    } catch (error) {
      const type = error instanceof Error ? (/^([a-z_]+):/.exec(error.message)?.[1] ?? error.name) : "error";
      span.setAttribute("error.type", type);
      span.setStatus({ code: SpanStatusCode.ERROR, message: type });
      throw error;
    } finally {
      span.end();
    }
  });
}
