import type { FastifyInstance } from "fastify";
import { AggregatorRegistry, type Registry } from "prom-client";
import { z } from "zod";

/** The primary's question to each gateway process: is it ready? (`/readyz`, over IPC.) */
export const readinessAsk = z.object({ type: z.literal("aiaas:readyz"), id: z.number() });
/** A process's answer: its own `/readyz`, status and body. */
export const readinessAnswer = z.object({
  type: z.literal("aiaas:readyz"),
  id: z.number(),
  status: z.number(),
  body: z.unknown(),
});
export type ReadinessAnswer = z.infer<typeof readinessAnswer>;

/**
 * A gateway process under the cluster's primary (GATEWAY_PROCESSES > 1):
 * its probes are the primary's to serve. It answers the primary's readiness
 * questions with its own `/readyz` (the internal routes, not listening), and
 * its metrics are summed with the others' by prom-client's cluster
 * aggregation, so that /metrics counts every process's requests.
 */
export function answerClusterProbes(internal: FastifyInstance, registry: Registry) {
  // Constructing one is what makes prom-client answer the primary's requests for this process's metrics.
  new AggregatorRegistry();
  AggregatorRegistry.setRegistries([registry]);
  process.on("message", (message: unknown) => {
    const ask = readinessAsk.safeParse(message);
    if (!ask.success) return;
    internal.inject({ method: "GET", url: "/readyz" }).then(
      (response) => {
        const answer: ReadinessAnswer = { ...ask.data, status: response.statusCode, body: response.json() };
        process.send?.(answer);
      },
      (error: Error) => {
        const body = { status: "unavailable", checks: { process: error.message } };
        process.send?.({ ...ask.data, status: 503, body } satisfies ReadinessAnswer);
      },
    );
  });
}
