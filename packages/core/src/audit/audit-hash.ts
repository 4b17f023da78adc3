import { createHash } from "node:crypto";
import canonicalize from "canonicalize";

/** The fields of an audit event that its hash covers. */
export interface HashedAuditFields {
  chain: string;
  seq: number;
  tenantId: string | null;
  occurredAt: Date;
  actorType: string;
  actorId: string | null;
  actorLabel: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  result: string;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  metadata: unknown;
}

/** The first event of a chain links to this. */
export const GENESIS_HASH = "0".repeat(64);

/** SHA-256 over the previous hash and the event in canonical JSON (RFC 8785). */
export function auditEventHash(prevHash: string, event: HashedAuditFields): string {
  const canonical = canonicalize({ ...event, occurredAt: event.occurredAt.toISOString() });
  return createHash("sha256")
    .update(prevHash)
    .update(canonical ?? "")
    .digest("hex");
}
