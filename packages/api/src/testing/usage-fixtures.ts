import type { Db, RequestStatus } from "@aiaas/db";
import { newId, startOfUtcDay } from "@aiaas/core/platform";
import { sealStoredPart } from "@aiaas/core/usage";
import { testKeyring } from "./api-caller.ts";

const modelIds = new Map<string, string>();

/** The id of a seeded model (the test stack seeds the catalogue). */
export async function modelId(db: Db, slug: string): Promise<string> {
  const cached = modelIds.get(slug);
  if (cached) return cached;
  const { id } = await db.model.findUniqueOrThrow({ where: { slug }, select: { id: true } });
  modelIds.set(slug, id);
  return id;
}

/**
 * A row of `requests` as the gateway writes it: metadata, and the prompt and
 * response sealed with the tenant's data key when given.
 */
export async function insertRequest(
  db: Db,
  row: {
    tenantId: string;
    apiKeyId: string | null;
    model?: string;
    endpoint?: string;
    status?: RequestStatus;
    errorCode?: string | null;
    createdAt?: Date;
    inputTokens?: number;
    outputTokens?: number;
    queueMs?: number;
    inferenceMs?: number;
    totalMs?: number;
    prompt?: unknown;
    response?: unknown;
    purgeAfter?: Date | null;
  },
) {
  const id = newId("request");
  const keyring = testKeyring();
  const stored = row.prompt !== undefined || row.response !== undefined;
  const createdAt = row.createdAt ?? new Date();
  await db.request.create({
    data: {
      id,
      tenantId: row.tenantId,
      apiKeyId: row.apiKeyId,
      modelId: await modelId(db, row.model ?? "kjv-gpt-mini"),
      endpoint: row.endpoint ?? "/v1/chat/completions",
      status: row.status ?? "succeeded",
      errorCode: row.errorCode ?? null,
      inputTokens: row.inputTokens ?? 12,
      outputTokens: row.outputTokens ?? 8,
      queueMs: row.queueMs ?? 3,
      inferenceMs: row.inferenceMs ?? 40,
      totalMs: row.totalMs ?? 45,
      createdAt,
      finishedAt: new Date(createdAt.getTime() + (row.totalMs ?? 45)),
      dataKeyId: stored ? (await keyring.activeKey(row.tenantId)).id : null,
      promptCiphertext:
        row.prompt === undefined ? null : await sealStoredPart(keyring, row.tenantId, id, "prompt", row.prompt),
      responseCiphertext:
        row.response === undefined ? null : await sealStoredPart(keyring, row.tenantId, id, "response", row.response),
      purgeAfter: row.purgeAfter ?? null,
    },
  });
  return id;
}

/** Adds to a tenant's `usage_daily` row for a UTC day, key and model, as the gateway's roll-up does. */
export async function insertUsageDay(
  db: Db,
  row: {
    tenantId: string;
    apiKeyId: string;
    model?: string;
    day: Date;
    requests: number;
    errors?: number;
    inputTokens?: number;
    outputTokens?: number;
    images?: number;
    costMicros?: bigint;
  },
) {
  const day = startOfUtcDay(row.day);
  await db.usageDaily.create({
    data: {
      id: newId("usageDaily"),
      tenantId: row.tenantId,
      apiKeyId: row.apiKeyId,
      modelId: await modelId(db, row.model ?? "kjv-gpt-mini"),
      day,
      requests: row.requests,
      errors: row.errors ?? 0,
      inputTokens: BigInt(row.inputTokens ?? 0),
      outputTokens: BigInt(row.outputTokens ?? 0),
      images: row.images ?? 0,
      costMicros: row.costMicros ?? 0n,
    },
  });
}
