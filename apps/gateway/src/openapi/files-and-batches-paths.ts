import { z } from "zod";
import { createBatchRequest } from "../requests/batch-request.ts";

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (description: string, name: string) => ({
  description,
  content: { "application/json": { schema: ref(name) } },
});
const errors = (...statuses: string[]) =>
  Object.fromEntries(statuses.map((status) => [status, json(`See the error's message and code.`, "Error")]));
const id = (name: string) => ({ name, in: "path", required: true, schema: { type: "string" } });
const cursor = [
  { name: "limit", in: "query", required: false, schema: { type: "integer", minimum: 1 } },
  { name: "after", in: "query", required: false, schema: { type: "string" } },
];

/** The Files and Batches APIs in OpenAPI 3.1 (OpenAI's shapes). */
export const filesAndBatchesPaths = {
  "/v1/files": {
    post: {
      operationId: "createFile",
      summary: "Upload a file (purpose batch): sealed with the organization's data key",
      requestBody: {
        required: true,
        content: {
          "multipart/form-data": {
            schema: {
              type: "object",
              required: ["purpose", "file"],
              properties: {
                purpose: { type: "string", enum: ["batch"] },
                file: { type: "string", contentMediaType: "application/octet-stream" },
              },
            },
          },
        },
      },
      responses: { "200": json("The file.", "File"), ...errors("400", "401", "403", "413", "415") },
    },
    get: {
      operationId: "listFiles",
      summary: "The organization's files, newest first",
      parameters: [...cursor, { name: "purpose", in: "query", required: false, schema: { type: "string" } }],
      responses: { "200": json("A page of files.", "FileList"), ...errors("400", "401", "403") },
    },
  },
  "/v1/files/{file_id}": {
    get: {
      operationId: "retrieveFile",
      parameters: [id("file_id")],
      responses: { "200": json("The file.", "File"), ...errors("401", "404") },
    },
    delete: {
      operationId: "deleteFile",
      parameters: [id("file_id")],
      responses: { "200": json("Deleted.", "FileDeleted"), ...errors("401", "404", "409") },
    },
  },
  "/v1/files/{file_id}/content": {
    get: {
      operationId: "downloadFile",
      parameters: [id("file_id")],
      responses: {
        "200": {
          description: "The file's bytes.",
          content: { "application/octet-stream": { schema: { type: "string" } } },
        },
        ...errors("401", "404"),
      },
    },
  },
  "/v1/batches": {
    post: {
      operationId: "createBatch",
      summary: "Run a file of requests at the batch price, within 24 h",
      requestBody: { required: true, content: { "application/json": { schema: ref("CreateBatchRequest") } } },
      responses: { "200": json("The batch, validating.", "Batch"), ...errors("400", "401", "403", "404") },
    },
    get: {
      operationId: "listBatches",
      parameters: cursor,
      responses: { "200": json("A page of batches, newest first.", "BatchList"), ...errors("401") },
    },
  },
  "/v1/batches/{batch_id}": {
    get: {
      operationId: "retrieveBatch",
      parameters: [id("batch_id")],
      responses: { "200": json("The batch.", "Batch"), ...errors("401", "404") },
    },
  },
  "/v1/batches/{batch_id}/cancel": {
    post: {
      operationId: "cancelBatch",
      parameters: [id("batch_id")],
      responses: { "200": json("The batch, cancelling.", "Batch"), ...errors("401", "404", "409") },
    },
  },
};

export const createBatchRequestSchema = () => z.toJSONSchema(createBatchRequest, { io: "input" });
