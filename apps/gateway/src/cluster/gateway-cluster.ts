import cluster, { type Worker } from "node:cluster";
import Fastify, { type FastifyServerOptions } from "fastify";
import { AggregatorRegistry } from "prom-client";
import { readinessAnswer, type ReadinessAnswer } from "./cluster-probes.ts";

const RESTART_DELAY_MS = 1_000;
const READINESS_TIMEOUT_MS = 2_000;

/**
 * The primary of GATEWAY_PROCESSES gateway processes on one port
 * (node:cluster: the primary accepts connections and hands them round-robin
 * to the processes, each a whole gateway with its own caches, invalidation
 * subscriptions and Redis connections; limits stay exact, being kept in
 * Redis's scripts). The primary serves the internal probes: `/readyz` is
 * ready when every process is, `/metrics` sums the processes' metrics. A
 * process that dies is replaced; SIGTERM drains them all, then exits.
 */
export async function runGatewayCluster(
  processes: number,
  internalAddress: { host: string; port: number },
  logger: FastifyServerOptions["logger"],
) {
  const internal = Fastify({ logger });
  const log = internal.log;
  let stopping = false;
  const fork = () => {
    const worker = cluster.fork();
    worker.on("exit", (code, signal) => {
      if (stopping) return;
      log.error(`gateway process ${worker.process.pid} exited (${signal ?? code}); starting another`);
      setTimeout(fork, RESTART_DELAY_MS).unref();
    });
  };
  for (let i = 0; i < processes; i++) fork();

  const aggregator = new AggregatorRegistry();
  const quiet = { logLevel: "warn" } as const;
  internal.get("/healthz", quiet, async () => ({ status: "ok" }));
  internal.get("/metrics", quiet, async (_request, reply) =>
    reply.header("content-type", aggregator.contentType).send(await aggregator.clusterMetrics()),
  );
  internal.get("/readyz", quiet, async (_request, reply) => {
    const workers = Object.values(cluster.workers ?? {}).filter((worker): worker is Worker => worker !== undefined);
    const answers = await Promise.all(workers.map((worker) => askReadiness(worker)));
    const ready = workers.length === processes && answers.every((answer) => answer.status === 200);
    return reply.code(ready ? 200 : 503).send({
      status: ready ? "ready" : "unavailable",
      processes: Object.fromEntries(workers.map((worker, i) => [String(worker.process.pid), answers[i]?.body])),
    });
  });
  await internal.listen(internalAddress);
  log.info(`gateway: ${processes} processes on one port; probes on ${internalAddress.host}:${internalAddress.port}`);

  const stop = () => {
    if (stopping) return;
    stopping = true;
    const workers = Object.values(cluster.workers ?? {}).filter((worker): worker is Worker => worker !== undefined);
    for (const worker of workers) worker.process.kill("SIGTERM");
    void Promise.all(workers.map((worker) => new Promise((resolve) => worker.once("exit", resolve)))).then(async () => {
      await internal.close();
      process.exit(0);
    });
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}

let asked = 0;

/** One process's own `/readyz`, or unavailable when it does not answer in time. */
function askReadiness(worker: Worker): Promise<Pick<ReadinessAnswer, "status" | "body">> {
  const id = ++asked;
  return new Promise((resolve) => {
    const timer = setTimeout(
      () => finish({ status: 503, body: { status: "unavailable", checks: { process: "no answer" } } }),
      READINESS_TIMEOUT_MS,
    );
    const onMessage = (message: unknown) => {
      const answer = readinessAnswer.safeParse(message);
      if (answer.success && answer.data.id === id) finish(answer.data);
    };
    const finish = (answer: Pick<ReadinessAnswer, "status" | "body">) => {
      clearTimeout(timer);
      worker.off("message", onMessage);
      resolve(answer);
    };
    worker.on("message", onMessage);
    worker.send({ type: "aiaas:readyz", id });
  });
}
