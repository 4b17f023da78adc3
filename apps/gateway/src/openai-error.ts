import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { DomainError, type FailureReporter } from "@aiaas/core/platform";
import { databaseConnectionProblem } from "@aiaas/db";
import { fastifyRefusal } from "./fastify-refusals.ts";

/** OpenAI's error object: `{error: {message, type, param, code}}`. */
export interface OpenAIErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

const typeByStatus: Record<number, string> = {
  400: "invalid_request_error",
  504: "timeout",
  401: "authentication_error",
  402: "insufficient_quota",
  403: "permission_error",
  404: "not_found_error",
  409: "conflict_error",
  413: "invalid_request_error",
  415: "invalid_request_error",
  429: "rate_limit_error",
  503: "service_unavailable",
};

export function openAIError(
  status: number,
  message: string,
  code: string | null = null,
  param: string | null = null,
): OpenAIErrorBody {
  return {
    error: {
      message,
      type: typeByStatus[status] ?? (status >= 500 ? "server_error" : "invalid_request_error"),
      param,
      code,
    },
  };
}

/** A refusal of the public API, answered as-is in the OpenAI shape. */
export class ApiError extends Error {
  override name = "ApiError";

  constructor(
    readonly status: number,
    message: string,
    readonly code: string | null = null,
    readonly param: string | null = null,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  get body(): OpenAIErrorBody {
    return openAIError(this.status, this.message, this.code, this.param);
  }
}

/**
 * The one place errors become HTTP answers on the public API. Caller
 * mistakes keep their 4xx status; Postgres out of reach (a restart, a
 * failover) is a 503 to retry, reported; only our own failures are 500s,
 * and their details stay in the log.
 */
export function registerOpenAIErrors(app: FastifyInstance, failures: FailureReporter) {
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send(openAIError(404, `Unknown request URL: ${request.method} ${request.url}.`, "unknown_url")),
  );
  app.setErrorHandler((error: FastifyError | DomainError | ApiError, request, reply) => {
    if (error instanceof ApiError) return reply.code(error.status).headers(error.headers).send(error.body);
    if (error instanceof DomainError)
      return reply.code(error.status).send(openAIError(error.status, error.message, error.code));
    const refusal = fastifyRefusal(error, request);
    if (refusal) return reply.code(refusal.status).send(openAIError(refusal.status, refusal.message, refusal.code));
    const problem = databaseConnectionProblem(error);
    if (problem) {
      failures.report(
        "database_unavailable",
        `Postgres is unavailable (${problem}): answered 503`,
        { requestId: request.id },
        error,
      );
      return reply
        .code(503)
        .send(
          openAIError(
            503,
            "The service's database is unavailable right now. Try again shortly.",
            "database_unavailable",
          ),
        );
    }
    const status = error.statusCode ?? 500;
    if (status < 500)
      return reply.code(status).send(openAIError(status, error.message, error.code?.toLowerCase() ?? null));
    request.log.error({ err: error }, "request failed");
    return reply
      .code(500)
      .send(openAIError(500, "The server had an error while processing your request.", "internal_error"));
  });
}

/**
 * Fastify's `frameworkErrors`: what it refuses before any route or error
 * handler runs (a URL it cannot decode), in the same shape.
 */
export function answerFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const refusal = fastifyRefusal(error, request) ?? { status: 400, message: error.message, code: "invalid_request" };
  void reply.code(refusal.status).send(openAIError(refusal.status, refusal.message, refusal.code));
}
