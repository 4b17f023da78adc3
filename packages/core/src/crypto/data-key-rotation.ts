import { randomBytes } from "node:crypto";
import type { Db, DbOrTx, Tx } from "@aiaas/db";
import { systemActor, type ChangeContext } from "../actor.ts";
import { appendAuditEvent } from "../audit/append-audit-event.ts";
import { DomainError } from "../errors.ts";
import { newId } from "../ids.ts";
import { wrapDataKey } from "./data-key-wrap.ts";
import type { SymmetricKey } from "./envelope.ts";

/** Why an active data key was replaced. */
export type RotationReason = "age" | "use" | "forced";

/**
 * When a tenant's active data key is replaced. Each payload is sealed with
 * AES-256-GCM under a random 96-bit IV, which NIST SP 800-38D allows for at
 * most 2^32 payloads per key; rotating at 2^28 leaves a margin of 16 for the
 * seals that processes counted but had not reported when they died.
 */
export interface DataKeyLimits {
  maxAgeMs: number;
  maxSeals: number;
}

export const DEFAULT_DATA_KEY_LIMITS: DataKeyLimits = { maxAgeMs: 30 * 86_400_000, maxSeals: 2 ** 28 };

/** Why `key` must be replaced now, or null while it may keep sealing. */
export function wornOut(
  key: { createdAt: Date; sealCount: bigint },
  limits: DataKeyLimits,
  now = Date.now(),
): RotationReason | null {
  if (key.sealCount >= BigInt(limits.maxSeals)) return "use";
  if (now - key.createdAt.getTime() >= limits.maxAgeMs) return "age";
  return null;
}

/** A tenant deleted (crypto-shredded) while its request was on the way: a refusal, never a 500. */
export const tenantDeleted = () =>
  new DomainError("forbidden", "This organization was deleted while the request ran: its data keys are destroyed.");

/** DATA_KEY_MAX_AGE_DAYS and DATA_KEY_MAX_SEALS, as the gateway's and worker's environments give them. */
export const dataKeyLimits = (env: { DATA_KEY_MAX_AGE_DAYS: number; DATA_KEY_MAX_SEALS: number }): DataKeyLimits => ({
  maxAgeMs: env.DATA_KEY_MAX_AGE_DAYS * 86_400_000,
  maxSeals: env.DATA_KEY_MAX_SEALS,
});

const activeKeyColumns = { id: true, wrappedKey: true, createdAt: true, sealCount: true } as const;

/** The tenant's active data key (there is at most one), with what tells whether it is worn out. */
export const findActiveKey = (db: DbOrTx, tenantId: string) =>
  db.tenantDataKey.findFirst({
    where: { tenantId, active: true, destroyedAt: null },
    orderBy: { createdAt: "desc" },
    select: activeKeyColumns,
  });

export interface Retirement {
  /** The active key the caller found worn out (or wants replaced). */
  id: string;
  reason: RotationReason;
}

/**
 * The tenant's active data key, made under the tenant's data-key lock: the
 * one there is, or a new one wrapped by `master` when there is none or when
 * `retire` names the active one (which is then retired: it keeps opening
 * what it sealed). Concurrent callers wait for each other; a caller whose
 * worn key someone else already replaced gets that replacement. A rotation
 * is audited on the tenant's chain.
 */
export async function lockedActiveKey(
  tx: Tx,
  tenantId: string,
  master: SymmetricKey,
  retire?: Retirement,
  ctx: ChangeContext = { actor: systemActor("keyring") },
) {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`data-key:${tenantId}`}))`;
  const existing = await findActiveKey(tx, tenantId);
  if (existing && existing.id !== retire?.id) return existing;
  // A tenant deleted while its request was on the way: refuse it, never a 500 on the foreign key.
  const [tenant] = await tx.$queryRaw<unknown[]>`SELECT 1 FROM tenants WHERE id = ${tenantId} FOR KEY SHARE`;
  if (!tenant) throw tenantDeleted();
  const now = new Date();
  if (existing) {
    await tx.tenantDataKey.update({ where: { id: existing.id }, data: { active: false, retiredAt: now } });
  }
  const id = newId("dataKey");
  const wrappedKey = wrapDataKey(master, tenantId, id, randomBytes(32));
  const created = await tx.tenantDataKey.create({
    data: { id, tenantId, wrappedKey, masterKeyId: master.id, createdAt: now },
    select: activeKeyColumns,
  });
  if (existing && retire) {
    await appendAuditEvent(
      {
        tenantId,
        action: "crypto.data_key.rotate",
        targetType: "data_key",
        targetId: id,
        metadata: { retired: existing.id, reason: retire.reason, sealCount: existing.sealCount.toString() },
      },
      ctx,
      tx,
    );
  }
  return created;
}

/**
 * `keys rotate-data`: replaces the tenant's active data key now (a key
 * suspected of leaking, a policy). Returns the retired and the new key's
 * ids, or null when the tenant has no key yet (its first seal makes one).
 */
export async function rotateDataKey(input: { tenantId: string }, ctx: ChangeContext, master: SymmetricKey, tx: Tx) {
  const active = await findActiveKey(tx, input.tenantId);
  if (!active) return null;
  const created = await lockedActiveKey(tx, input.tenantId, master, { id: active.id, reason: "forced" }, ctx);
  return { retired: active.id, active: created.id };
}

/** What may still hold a payload sealed by a retired key besides stored prompts: queued jobs, idempotency records (24 h). */
const RETIRED_KEY_GRACE_MS = 2 * 86_400_000;

/**
 * Destroys retired data keys that nothing needs any more: retired more than
 * two days ago and no stored prompt or answer sealed with them left (the
 * retention purge clears those). A system task of the maintenance queue.
 * Returns how many were destroyed.
 */
export async function destroyRetiredDataKeys(db: Db, now: Date = new Date()): Promise<number> {
  const retiredBefore = new Date(now.getTime() - RETIRED_KEY_GRACE_MS);
  return db.$executeRaw`
    UPDATE tenant_data_keys AS k
    SET wrapped_key = ''::bytea, destroyed_at = ${now}
    WHERE k.retired_at <= ${retiredBefore} AND k.destroyed_at IS NULL AND NOT k.active
      AND NOT EXISTS (
        SELECT 1 FROM requests AS r
        WHERE r.data_key_id = k.id AND (r.prompt_ciphertext IS NOT NULL OR r.response_ciphertext IS NOT NULL)
      )`;
}
