import type { Db } from "@aiaas/db";
import type { ChangeContext } from "../actor.ts";
import { appendAuditEvent } from "../audit/append-audit-event.ts";
import { unwrapDataKey, wrapDataKey } from "./data-key-wrap.ts";
import { DecryptionError } from "./envelope.ts";
import type { MasterKeys } from "./master-keys.ts";

export interface RewrapDataKeysInput {
  /** MASTER_KEYS as parsed: `current` wraps, the others are the ones being retired. */
  masterKeys: MasterKeys;
  /** Rows read and written per round trip. */
  batchSize?: number;
}

export interface RewrapReport {
  currentMasterKeyId: string;
  /** Data keys now wrapped by the current master key, by the master key that wrapped them before. */
  rewrapped: Record<string, number>;
  rewrappedTotal: number;
  /** Changed by another process (re-wrapped or destroyed) between our read and our write. */
  skipped: number;
  /** Data keys that did not unwrap with the configured master key they name; left as they were. */
  failed: string[];
  /** Live data keys still wrapped by a configured old master key after the run (failed, or made meanwhile by a process still on the old MASTER_KEYS). */
  remaining: Record<string, number>;
  /** Live data keys wrapped by master keys that MASTER_KEYS does not hold: not touched. */
  unconfigured: Record<string, number>;
}

const countsByMasterKey = (groups: { masterKeyId: string; _count: { _all: number } }[]) =>
  Object.fromEntries(groups.map((group) => [group.masterKeyId, group._count._all]));

/**
 * Master key rotation: re-wraps every live data key that an old master key
 * (any of MASTER_KEYS but the first) wraps with the current one. Safe while
 * gateways and workers serve: readers unwrap with whichever master key a row
 * names, both keys are configured during a rotation, and each row is written
 * only if it is still wrapped by the key it was read with. Only key wrappings
 * change; no payload is re-encrypted. Audited on the platform chain, with
 * counts and ids, never key material.
 */
export async function rewrapDataKeys(input: RewrapDataKeysInput, ctx: ChangeContext, db: Db): Promise<RewrapReport> {
  const { masterKeys, batchSize = 200 } = input;
  const current = masterKeys.current;
  const oldIds = [...masterKeys.byId.keys()].filter((id) => id !== current.id);
  const rewrapped: Record<string, number> = {};
  const failed: string[] = [];
  let skipped = 0;

  // Paging by id: a re-wrapped row leaves the filter, a failed one is passed by the cursor.
  let after: string | undefined;
  while (oldIds.length > 0) {
    const rows = await db.tenantDataKey.findMany({
      where: { masterKeyId: { in: oldIds }, destroyedAt: null, ...(after ? { id: { gt: after } } : {}) },
      orderBy: { id: "asc" },
      take: batchSize,
      select: { id: true, tenantId: true, masterKeyId: true, wrappedKey: true },
    });
    const last = rows.at(-1);
    if (!last) break;
    after = last.id;
    const froms: string[] = [];
    const updates: ReturnType<Db["tenantDataKey"]["updateMany"]>[] = [];
    for (const row of rows) {
      let dataKey;
      try {
        dataKey = unwrapDataKey(masterKeys, row.tenantId, row);
      } catch (error) {
        if (!(error instanceof DecryptionError)) throw error;
        failed.push(row.id);
        continue;
      }
      const wrappedKey = wrapDataKey(current, row.tenantId, row.id, dataKey.key);
      dataKey.key.fill(0);
      froms.push(row.masterKeyId);
      updates.push(
        db.tenantDataKey.updateMany({
          where: { id: row.id, tenantId: row.tenantId, masterKeyId: row.masterKeyId, destroyedAt: null },
          data: { wrappedKey, masterKeyId: current.id, rewrappedAt: new Date() },
        }),
      );
    }
    const results = updates.length ? await db.$transaction(updates) : [];
    results.forEach((result, index) => {
      const from = froms[index] ?? "";
      if (result.count === 1) rewrapped[from] = (rewrapped[from] ?? 0) + 1;
      else skipped += 1;
    });
    if (rows.length < batchSize) break;
  }

  const [remainingGroups, unconfiguredGroups] = await Promise.all([
    db.tenantDataKey.groupBy({
      by: ["masterKeyId"],
      where: { masterKeyId: { in: oldIds }, destroyedAt: null },
      _count: { _all: true },
    }),
    db.tenantDataKey.groupBy({
      by: ["masterKeyId"],
      where: { masterKeyId: { notIn: [...masterKeys.byId.keys()] }, destroyedAt: null },
      _count: { _all: true },
    }),
  ]);
  const report: RewrapReport = {
    currentMasterKeyId: current.id,
    rewrapped,
    rewrappedTotal: Object.values(rewrapped).reduce((sum, count) => sum + count, 0),
    skipped,
    failed,
    remaining: countsByMasterKey(remainingGroups),
    unconfigured: countsByMasterKey(unconfiguredGroups),
  };
  await db.$transaction((tx) =>
    appendAuditEvent(
      {
        tenantId: null,
        action: "crypto.master_key.rotate",
        targetType: "master_key",
        targetId: current.id,
        result: failed.length ? "failure" : "success",
        metadata: {
          ...report,
          retiring: oldIds,
          failed: failed.length,
          failedDataKeyIds: failed.slice(0, 100),
        },
      },
      ctx,
      tx,
    ),
  );
  return report;
}
