import type { FastifyInstance, FastifyRequest } from "fastify";
import { Counter, Histogram, type Registry } from "prom-client";
import type { ModelDirectory } from "../directory/model-directory.ts";

const latencyBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/**
 * What people scale and alert on, by model (our model ids, e.g.
 * kjv-gpt-mini): requests by route, status and refusal reason, tokens in
 * and out, time to first token, time waiting in the queue, and admission
 * latency. Labels stay few: a model the directory does not know is "".
 */
export class ApiMetrics {
  readonly #requests: Counter<"route" | "model" | "status" | "reason">;
  readonly #tokens: Counter<"model" | "direction">;
  readonly #firstToken: Histogram<"model">;
  readonly #queueWait: Histogram<"model">;
  readonly #admission: Histogram<"outcome">;
  readonly #jobMembers: Histogram<"model">;

  constructor(
    registry: Registry,
    private readonly directory: ModelDirectory,
  ) {
    const registers = [registry];
    this.#requests = new Counter({
      name: "aiaas_gateway_requests_total",
      help: "API requests by route, model, status and refusal reason (the error's code; empty when answered)",
      labelNames: ["route", "model", "status", "reason"],
      registers,
    });
    this.#tokens = new Counter({
      name: "aiaas_gateway_tokens_total",
      help: "Tokens billed, by model and direction (input: the prompt's, output: generated)",
      labelNames: ["model", "direction"],
      registers,
    });
    this.#firstToken = new Histogram({
      name: "aiaas_gateway_time_to_first_token_seconds",
      help: "Streamed requests: from the request's admission to its first text sent",
      labelNames: ["model"],
      buckets: latencyBuckets,
      registers,
    });
    this.#queueWait = new Histogram({
      name: "aiaas_gateway_queue_wait_seconds",
      help: "Answered requests: from the enqueue to a worker's start",
      labelNames: ["model"],
      buckets: latencyBuckets,
      registers,
    });
    this.#admission = new Histogram({
      name: "aiaas_gateway_admission_duration_seconds",
      help: "Admission (limits and budgets, checked in Redis), by outcome",
      labelNames: ["outcome"],
      buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.1, 1],
      registers,
    });
    this.#jobMembers = new Histogram({
      name: "aiaas_gateway_job_requests",
      help: "Requests per job added to a model's queue: 1 alone, more when coalesced (decision 0019)",
      labelNames: ["model"],
      buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256],
      registers,
    });
  }

  /** A job added to `model`'s queue, carrying `requests` requests. */
  jobAdded(model: string, requests: number) {
    this.#jobMembers.observe({ model }, requests);
  }

  /** Times `admit`, labelled admitted or refused. */
  async admission<R>(admit: () => Promise<R>): Promise<R> {
    const end = this.#admission.startTimer();
    try {
      const ticket = await admit();
      end({ outcome: "admitted" });
      return ticket;
    } catch (error) {
      end({ outcome: "refused" });
      throw error;
    }
  }

  /** A billed answer's tokens and its time in the queue. */
  answered(model: string, usage: { promptTokens: number; completionTokens: number }, queueMs: number) {
    this.#tokens.inc({ model, direction: "input" }, usage.promptTokens);
    this.#tokens.inc({ model, direction: "output" }, usage.completionTokens);
    this.#queueWait.observe({ model }, queueMs / 1000);
  }

  firstToken(model: string, seconds: number) {
    this.#firstToken.observe({ model }, seconds);
  }

  /** Counts every answer of `app`'s routes: its status, and for a refusal the error's code from the body. */
  countRequests(app: FastifyInstance) {
    const reasons = new WeakMap<FastifyRequest, string>();
    app.addHook("onSend", async (request, reply, payload) => {
      if (reply.statusCode >= 400 && typeof payload === "string" && payload.length < 8192) {
        reasons.set(request, errorCode(payload));
      }
      return payload;
    });
    app.addHook("onResponse", async (request, reply) => {
      const route = request.routeOptions.url;
      if (!route?.startsWith("/v1/")) return;
      const asked = (request.body as { model?: unknown } | undefined)?.model;
      const model = typeof asked === "string" && this.directory.knows(asked) ? asked : "";
      const reason = reasons.get(request) ?? "";
      this.#requests.inc({ route, model, status: String(reply.statusCode), reason });
    });
  }
}

/** The `error.code` (else `error.type`) of an OpenAI-shaped error body; "" when it is not one. */
function errorCode(payload: string): string {
  try {
    const { error } = JSON.parse(payload) as { error?: { code?: unknown; type?: unknown } };
    const code = typeof error?.code === "string" ? error.code : error?.type;
    return typeof code === "string" ? code.slice(0, 64) : "";
  } catch {
    // Not JSON: no reason to report.
    return "";
  }
}
