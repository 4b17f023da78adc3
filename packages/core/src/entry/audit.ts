// @aiaas/core/audit: The audit log: appending, chains, signed checkpoints, listing.
export {
  accountAuditChain,
  accountAuditChains,
  appendAuditEvent,
  PLATFORM_CHAIN,
  type AuditEntry,
} from "../audit/append-audit-event.ts";
export { auditEventHash, GENESIS_HASH } from "../audit/audit-hash.ts";
export { verifyAuditChain, type AuditChainReport } from "../audit/audit-chain.ts";
export {
  auditSigningKeys,
  chainHeads,
  verifyCheckpoints,
  type AuditCheckpoint,
  type CheckpointReport,
} from "../audit/audit-checkpoints.ts";
export { AuditCheckpointer } from "../audit/audit-checkpointer.ts";
export { CheckpointDirectory } from "../audit/checkpoint-directory.ts";
export { listAuditEvents, type AuditQuery } from "../audit/list-audit-events.ts";
