import type { FastifyInstance } from "fastify";
import { collectDefaultMetrics, Histogram, Registry } from "prom-client";
import { checkReadiness, type ReadinessCheck } from "./readiness.ts";

export interface HealthRoutesOptions {
  /** Prefix of the process metrics, e.g. "aiaas_gateway_". */
  metricsPrefix: string;
  checks: readonly ReadinessCheck[];
  /**
   * Where `/readyz` and `/metrics` are served, when not on `app`: the
   * gateway's internal port, so the public API shows neither its
   * dependencies' errors nor its metrics. `/healthz` is served on both.
   */
  probesOn?: FastifyInstance;
}

/**
 * `/healthz` (the process is up), `/readyz` (its dependencies answer; 503
 * naming the one that does not) and `/metrics` (Prometheus text format),
 * with a request-duration histogram for every route of the app.
 */
export function registerHealthRoutes(
  app: FastifyInstance,
  { metricsPrefix, checks, probesOn = app }: HealthRoutesOptions,
): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: metricsPrefix });
  const duration = new Histogram({
    name: `${metricsPrefix}http_request_duration_seconds`,
    help: "HTTP request duration by route, method and status code",
    labelNames: ["route", "method", "status"] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10, 30],
    registers: [registry],
  });
  app.addHook("onResponse", async (request, reply) => {
    duration.observe(
      { route: request.routeOptions.url ?? "unmatched", method: request.method, status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });

  // Probes run every few seconds: log them only when something is wrong.
  const quiet = { logLevel: "warn" } as const;
  for (const server of new Set([app, probesOn])) server.get("/healthz", quiet, async () => ({ status: "ok" }));
  probesOn.get("/readyz", quiet, async (_request, reply) => {
    const report = await checkReadiness(checks);
    return reply
      .code(report.ready ? 200 : 503)
      .send({ status: report.ready ? "ready" : "unavailable", checks: report.checks });
  });
  probesOn.get("/metrics", quiet, async (_request, reply) =>
    reply.header("content-type", registry.contentType).send(await registry.metrics()),
  );
  return registry;
}
