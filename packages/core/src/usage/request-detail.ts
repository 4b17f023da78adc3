import type { DbOrTx } from "@aiaas/db";
import { notFound } from "../errors.ts";
import { requestMetadata, requestMetadataSelect } from "./recent-requests.ts";
import { storedPartsState } from "./stored-parts-state.ts";

/** A request's metadata and whether its prompt and response can be read; never their text. */
export async function getRequestDetail(
  { tenantId, requestId, now = new Date() }: { tenantId: string; requestId: string; now?: Date },
  db: DbOrTx,
) {
  const row = await db.request.findFirst({
    where: { id: requestId, tenantId },
    select: {
      ...requestMetadataSelect,
      purgeAfter: true,
      // Loaded to tell whether they are there; never opened nor returned here.
      promptCiphertext: true,
      responseCiphertext: true,
      tenant: { select: { retention: true } },
    },
  });
  if (!row) throw notFound(`request "${requestId}"`);
  const { purgeAfter, promptCiphertext, responseCiphertext, tenant, ...metadata } = row;
  const parts = { prompt: promptCiphertext !== null, response: responseCiphertext !== null };
  return {
    ...requestMetadata(metadata),
    storage: storedPartsState(
      { createdAt: metadata.createdAt, purgeAfter, hasPrompt: parts.prompt, hasResponse: parts.response },
      tenant.retention,
      now,
    ),
    parts,
  };
}
