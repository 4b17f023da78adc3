import type { DbOrTx } from "@aiaas/db";

/** What the console shows of a request without decrypting anything. */
export const requestMetadataSelect = {
  id: true,
  createdAt: true,
  finishedAt: true,
  endpoint: true,
  status: true,
  errorCode: true,
  stream: true,
  endUser: true,
  inputTokens: true,
  outputTokens: true,
  images: true,
  queueMs: true,
  inferenceMs: true,
  totalMs: true,
  model: { select: { slug: true } },
  apiKey: { select: { id: true, name: true, prefix: true, last4: true } },
} as const;

export interface RequestRow {
  id: string;
  createdAt: Date;
  finishedAt: Date | null;
  endpoint: string;
  status: string;
  errorCode: string | null;
  stream: boolean;
  endUser: string | null;
  inputTokens: number;
  outputTokens: number;
  images: number;
  queueMs: number | null;
  inferenceMs: number | null;
  totalMs: number | null;
  model: { slug: string };
  apiKey: { id: string; name: string; prefix: string; last4: string } | null;
}

export function requestMetadata(row: RequestRow) {
  const { model, apiKey, ...fields } = row;
  return {
    ...fields,
    model: model.slug,
    key: apiKey ? { id: apiKey.id, name: apiKey.name, display: `${apiKey.prefix}…${apiKey.last4}` } : null,
  };
}
export type RequestMetadata = ReturnType<typeof requestMetadata>;

/** A tenant's latest requests, newest first: metadata only, never prompt or response. */
export async function listRecentRequests({ tenantId, limit }: { tenantId: string; limit: number }, db: DbOrTx) {
  const rows = await db.request.findMany({
    where: { tenantId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit,
    select: requestMetadataSelect,
  });
  return rows.map(requestMetadata);
}
