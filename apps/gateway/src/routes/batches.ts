import type { FastifyInstance, FastifyRequest } from "fastify";
import { tenantBoundDb, type Db } from "@aiaas/db";
import { cancelBatch, createBatch } from "@aiaas/core/batches";
import { createBatchRequest } from "../requests/batch-request.ts";
import { callerOf } from "../auth/authenticate.ts";
import { batchObject, cursorPage } from "../batches/openai-objects.ts";
import { ApiError } from "../openai-error.ts";
import { listQuery } from "../requests/list-query.ts";
import { parseRequest } from "../requests/parse-request.ts";

const noSuchBatch = (id: string) => new ApiError(404, `No such Batch object: ${id}`, "batch_not_found", "batch_id");

/**
 * The Batches API (/v1/batches): create, retrieve, list, cancel. A batch is
 * validated and run by the gateways' batch runners (batch-runner.ts).
 */
export function registerBatchRoutes(app: FastifyInstance, deps: { db: Db }) {
  const dbOf = (request: FastifyRequest) => tenantBoundDb(deps.db, callerOf(request).tenantId);

  app.post("/v1/batches", { config: { scope: "batches:write" } }, async (request) => {
    const caller = callerOf(request);
    const body = parseRequest(createBatchRequest, request.body);
    const batch = await createBatch(dbOf(request), {
      tenantId: caller.tenantId,
      apiKeyId: caller.key.id,
      endpoint: body.endpoint,
      inputFileId: body.input_file_id,
      metadata: body.metadata,
    });
    return batchObject(batch);
  });

  app.get("/v1/batches", { config: { scope: "batches:write" } }, async (request) => {
    const { tenantId } = callerOf(request);
    const query = parseRequest(listQuery(100, 20), request.query);
    const db = dbOf(request);
    const after = query.after
      ? await db.batch.findFirst({ where: { id: query.after, tenantId }, select: { createdAt: true } })
      : null;
    const rows = await db.batch.findMany({
      where: { tenantId, ...(after && { createdAt: { lt: after.createdAt } }) },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: query.limit + 1,
    });
    return cursorPage(rows.map(batchObject), query.limit);
  });

  app.get<{ Params: { id: string } }>("/v1/batches/:id", { config: { scope: "batches:write" } }, async (request) => {
    const batch = await dbOf(request).batch.findFirst({
      where: { id: request.params.id, tenantId: callerOf(request).tenantId },
    });
    if (!batch) throw noSuchBatch(request.params.id);
    return batchObject(batch);
  });

  app.post<{ Params: { id: string } }>(
    "/v1/batches/:id/cancel",
    { config: { scope: "batches:write" } },
    async (request) =>
      batchObject((await cancelBatch(dbOf(request), callerOf(request).tenantId, request.params.id)).batch),
  );
}
