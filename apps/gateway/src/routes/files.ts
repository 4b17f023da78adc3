import type { FastifyInstance, FastifyRequest } from "fastify";
import type {} from "@fastify/multipart";
import { tenantBoundDb, type Db } from "@aiaas/db";
import {
  activeBatchStatuses,
  fileColumns,
  filePurposes,
  readFileContent,
  storeFile,
  type FilePurpose,
} from "@aiaas/core/batches";
import type { TenantKeyring } from "@aiaas/core/crypto";
import { callerOf } from "../auth/authenticate.ts";
import { cursorPage, fileObject } from "../batches/openai-objects.ts";
import { ApiError } from "../openai-error.ts";
import { listQuery } from "../requests/list-query.ts";
import { parseRequest } from "../requests/parse-request.ts";

export interface FileLimits {
  /** The largest upload (GATEWAY_FILE_MAX_BYTES). */
  maxBytes: number;
  /** Files a tenant may keep at once (GATEWAY_FILES_PER_TENANT). */
  perTenant: number;
}

/** Only batch input is uploaded; `batch_output` files are the batches' own. */
const UPLOADABLE: readonly FilePurpose[] = ["batch"];

const noSuchFile = (id: string) => new ApiError(404, `No such File object: ${id}`, "file_not_found", "file_id");

async function readUpload(request: FastifyRequest, limits: FileLimits) {
  if (!request.isMultipart())
    throw new ApiError(
      415,
      "Upload a file as multipart/form-data with the fields 'purpose' and 'file'.",
      "unsupported_media_type",
    );
  let purpose: string | undefined;
  let file: { filename: string; content: Buffer } | undefined;
  for await (const part of request.parts({ limits: { fileSize: limits.maxBytes, files: 1, fields: 4 } })) {
    if (part.type === "file") {
      const content = await part.toBuffer();
      file = { filename: part.filename || "upload.jsonl", content };
    } else if (part.fieldname === "purpose" && typeof part.value === "string") {
      purpose = part.value;
    }
  }
  if (!purpose) throw new ApiError(400, "Missing required parameter: 'purpose'.", "invalid_value", "purpose");
  if (!UPLOADABLE.includes(purpose as FilePurpose))
    throw new ApiError(
      400,
      `Invalid value for 'purpose': '${purpose}'. Supported: ${UPLOADABLE.join(", ")} (files for the Batches API).`,
      "invalid_value",
      "purpose",
    );
  if (!file) throw new ApiError(400, "Missing required parameter: 'file'.", "invalid_value", "file");
  if (file.content.byteLength === 0) throw new ApiError(400, "The file is empty.", "invalid_value", "file");
  return { purpose: purpose as FilePurpose, ...file };
}

/**
 * The Files API (/v1/files): upload, list, retrieve, content, delete. Bytes
 * are sealed with the tenant's data key; every query runs in the tenant's
 * transaction (row-level security).
 */
export function registerFileRoutes(app: FastifyInstance, deps: { db: Db; keyring: TenantKeyring; limits: FileLimits }) {
  const { keyring, limits } = deps;
  const dbOf = (request: FastifyRequest) => tenantBoundDb(deps.db, callerOf(request).tenantId);

  app.post("/v1/files", { config: { scope: "files:write" } }, async (request) => {
    const { tenantId } = callerOf(request);
    const upload = await readUpload(request, limits);
    const db = dbOf(request);
    if ((await db.file.count({ where: { tenantId } })) >= limits.perTenant)
      throw new ApiError(
        400,
        `This organization keeps ${limits.perTenant} files at most: delete some first.`,
        "file_limit_reached",
      );
    return fileObject(await storeFile(db, keyring, { tenantId, ...upload }));
  });

  app.get("/v1/files", { config: { scope: "files:write" } }, async (request) => {
    const { tenantId } = callerOf(request);
    const query = parseRequest(listQuery(10_000, 10_000), request.query);
    if (query.purpose !== undefined && !filePurposes.includes(query.purpose as FilePurpose))
      throw new ApiError(400, `Invalid value for 'purpose': '${query.purpose}'.`, "invalid_value", "purpose");
    const db = dbOf(request);
    const after = query.after
      ? await db.file.findFirst({ where: { id: query.after, tenantId }, select: { createdAt: true } })
      : null;
    const rows = await db.file.findMany({
      where: {
        tenantId,
        ...(query.purpose && { purpose: query.purpose }),
        ...(after && { createdAt: query.order === "desc" ? { lt: after.createdAt } : { gt: after.createdAt } }),
      },
      orderBy: [{ createdAt: query.order }, { id: query.order }],
      take: query.limit + 1,
      select: fileColumns,
    });
    return cursorPage(rows.map(fileObject), query.limit);
  });

  app.get<{ Params: { id: string } }>("/v1/files/:id", { config: { scope: "files:write" } }, async (request) => {
    const file = await dbOf(request).file.findFirst({
      where: { id: request.params.id, tenantId: callerOf(request).tenantId },
      select: fileColumns,
    });
    if (!file) throw noSuchFile(request.params.id);
    return fileObject(file);
  });

  app.get<{ Params: { id: string } }>(
    "/v1/files/:id/content",
    { config: { scope: "files:write" } },
    async (request, reply) => {
      const content = await readFileContent(dbOf(request), keyring, callerOf(request).tenantId, request.params.id);
      if (!content) throw noSuchFile(request.params.id);
      return reply.type("application/octet-stream").send(content);
    },
  );

  app.delete<{ Params: { id: string } }>("/v1/files/:id", { config: { scope: "files:write" } }, async (request) => {
    const { tenantId } = callerOf(request);
    const { id } = request.params;
    const db = dbOf(request);
    const running = await db.batch.findFirst({
      where: { tenantId, inputFileId: id, status: { in: [...activeBatchStatuses] } },
      select: { id: true },
    });
    if (running)
      throw new ApiError(
        409,
        `The file is the input of ${running.id}, which is still running: cancel it first.`,
        "file_in_use",
      );
    const deleted = await db.file.deleteMany({ where: { id, tenantId } });
    if (deleted.count === 0) throw noSuchFile(id);
    return { id, object: "file", deleted: true };
  });
}
