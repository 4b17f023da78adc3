import type { DbOrTx } from "@aiaas/db";
import { auditEventHash, GENESIS_HASH } from "./audit-hash.ts";

/**
 * Recomputes a chain from its first event: returns the seq of the first event
 * whose link or hash does not match (tampering or a gap), or null when intact.
 */
export async function findBrokenAuditLink(chain: string, db: DbOrTx): Promise<number | null> {
  const events = await db.auditEvent.findMany({ where: { chain }, orderBy: { seq: "asc" } });
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  for (const event of events) {
    const { id: _id, hash, prevHash: storedPrev, ...fields } = event;
    if (event.seq !== expectedSeq || storedPrev !== prevHash || auditEventHash(prevHash, fields) !== hash) {
      return event.seq;
    }
    prevHash = hash;
    expectedSeq += 1;
  }
  return null;
}
