import Fastify, { type FastifyServerOptions } from "fastify";
import type { Redis } from "ioredis";
import { pingDatabase, type Db } from "@aiaas/db";
import { registerHealthRoutes } from "@aiaas/core/server";
import { registerOpenAIErrors } from "./openai-error.ts";

export interface GatewayDeps {
  db: Db;
  redis: Redis;
  logger: FastifyServerOptions["logger"];
}

/** The public API server, without listening: tests inject requests into it. */
export function buildGateway({ db, redis, logger }: GatewayDeps) {
  const app = Fastify({
    logger,
    requestIdHeader: "x-request-id",
    genReqId: () => `req_${crypto.randomUUID().replaceAll("-", "")}`,
    bodyLimit: 16 * 1024 * 1024,
  });
  app.addHook("onSend", async (request, reply) => {
    reply.header("x-request-id", request.id);
  });
  registerOpenAIErrors(app);
  registerHealthRoutes(app, {
    metricsPrefix: "aiaas_gateway_",
    checks: [
      { name: "postgres", check: () => pingDatabase(db) },
      { name: "redis", check: () => redis.ping() },
    ],
  });
  return app;
}
