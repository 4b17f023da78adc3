import type { DbOrTx } from "@aiaas/db";
import { auditEventHash, GENESIS_HASH } from "./audit-hash.ts";

export interface AuditChainReport {
  events: number;
  /** The first event whose link, sequence or hash does not match; null when intact. */
  broken: { seq: number; id: string; action: string; occurredAt: Date } | null;
}

/** Recomputes a chain from its first event, in pages, and reports the first break. */
export async function verifyAuditChain(chain: string, db: DbOrTx, pageSize = 1000): Promise<AuditChainReport> {
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  for (;;) {
    const page = await db.auditEvent.findMany({
      where: { chain, seq: { gte: expectedSeq } },
      orderBy: { seq: "asc" },
      take: pageSize,
    });
    for (const event of page) {
      const { id, hash, prevHash: storedPrev, ...fields } = event;
      if (event.seq !== expectedSeq || storedPrev !== prevHash || auditEventHash(prevHash, fields) !== hash) {
        return {
          events: expectedSeq - 1,
          broken: { seq: event.seq, id, action: event.action, occurredAt: event.occurredAt },
        };
      }
      prevHash = hash;
      expectedSeq += 1;
    }
    if (page.length < pageSize) return { events: expectedSeq - 1, broken: null };
  }
}
