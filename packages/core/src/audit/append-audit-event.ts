import { createHash } from "node:crypto";
import type { AuditResult, Prisma, Tx } from "@aiaas/db";
import type { ChangeContext } from "../actor.ts";
import { newId } from "../ids.ts";
import { auditEventHash, GENESIS_HASH } from "./audit-hash.ts";

/** Events outside any tenant (operator and system actions) chain here. */
export const PLATFORM_CHAIN = "platform";

/**
 * People's own sign-ins, failed guesses, sign-ups and password changes chain
 * apart from the platform's, spread over this many chains by account: a flood
 * of failed sign-ins never queues an operator's change behind its lock.
 */
export const ACCOUNT_CHAIN_COUNT = 16;

export const accountAuditChains = () => Array.from({ length: ACCOUNT_CHAIN_COUNT }, (_, i) => `accounts:${i}`);

/** The chain of one account's events, by its email (or the email someone tried). */
export function accountAuditChain(email: string) {
  const digest = createHash("sha256").update(email.trim().toLowerCase()).digest();
  return `accounts:${digest.readUInt32BE(0) % ACCOUNT_CHAIN_COUNT}`;
}

export interface AuditEntry {
  tenantId: string | null;
  action: string;
  targetType?: string;
  targetId?: string;
  result?: AuditResult;
  metadata?: Record<string, unknown>;
  /** Another chain than the tenant's or the platform's (accountAuditChain). */
  chain?: string;
}

/**
 * Appends one event to its tenant's hash chain, inside the caller's
 * transaction, so the change and its audit record commit together. A
 * transaction-scoped advisory lock per chain keeps `seq` gap-free and the
 * chain linear under concurrent writers.
 */
export async function appendAuditEvent(entry: AuditEntry, ctx: ChangeContext, tx: Tx) {
  const chain = entry.chain ?? entry.tenantId ?? PLATFORM_CHAIN;
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`audit:${chain}`}, 0))`;
  const last = await tx.auditEvent.findFirst({
    where: { chain },
    orderBy: { seq: "desc" },
    select: { seq: true, hash: true },
  });
  const fields = {
    chain,
    seq: (last?.seq ?? 0) + 1,
    tenantId: entry.tenantId,
    occurredAt: new Date(),
    actorType: ctx.actor.type,
    actorId: ctx.actor.id,
    actorLabel: ctx.actor.label,
    action: entry.action,
    targetType: entry.targetType ?? null,
    targetId: entry.targetId ?? null,
    result: entry.result ?? "success",
    ip: ctx.ip ?? null,
    userAgent: ctx.userAgent ?? null,
    requestId: ctx.requestId ?? null,
    metadata: entry.metadata ?? {},
  } as const;
  const prevHash = last?.hash ?? GENESIS_HASH;
  return tx.auditEvent.create({
    data: {
      id: newId("auditEvent"),
      ...fields,
      metadata: fields.metadata as Prisma.InputJsonObject,
      prevHash,
      hash: auditEventHash(prevHash, fields),
    },
  });
}
