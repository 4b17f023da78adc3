import type { Db } from "@aiaas/db";
import { unwrapDataKey } from "./data-key-wrap.ts";
import { DecryptionError } from "./envelope.ts";
import type { MasterKeys } from "./master-keys.ts";

interface WrappedSample {
  master_key_id: string;
  id: string;
  tenant_id: string;
  wrapped_key: Uint8Array;
  keys: bigint;
}

/** What the configured master keys cannot open of what the database holds. */
export interface MasterKeyReport {
  /** Configured ids whose secret is not the one that wrapped the stored data keys: the configuration is wrong. */
  mismatched: { id: string; dataKeys: number }[];
  /** Ids that wrapped stored data keys but are not configured: those tenants' requests fail. */
  missing: { id: string; dataKeys: number }[];
}

/**
 * Checks the configured master keys against the database: for each master
 * key id that wrapped a live tenant data key, one of those data keys is its
 * canary, unwrapped here.
 */
export async function checkMasterKeys(db: Db, masterKeys: MasterKeys): Promise<MasterKeyReport> {
  const samples = await db.$queryRaw<WrappedSample[]>`
    SELECT DISTINCT ON (master_key_id) master_key_id, id, tenant_id, wrapped_key,
      count(*) OVER (PARTITION BY master_key_id) AS keys
    FROM tenant_data_keys
    WHERE destroyed_at IS NULL
    ORDER BY master_key_id, created_at`;
  const report: MasterKeyReport = { mismatched: [], missing: [] };
  for (const sample of samples) {
    const entry = { id: sample.master_key_id, dataKeys: Number(sample.keys) };
    if (!masterKeys.byId.has(sample.master_key_id)) {
      report.missing.push(entry);
      continue;
    }
    try {
      unwrapDataKey(masterKeys, sample.tenant_id, { id: sample.id, wrappedKey: sample.wrapped_key });
    } catch (error) {
      if (!(error instanceof DecryptionError)) throw error;
      report.mismatched.push(entry);
    }
  }
  return report;
}

const keys = (count: number) => `${count} tenant data key${count === 1 ? "" : "s"}`;
const named = (entries: { id: string; dataKeys: number }[]) =>
  [
    ...entries.slice(0, 5).map(({ id, dataKeys }) => `'${id}' (${keys(dataKeys)})`),
    ...(entries.length > 5 ? [`${entries.length - 5} more`] : []),
  ].join(", ");

/** The refusal to start: configured keys that are not the ones that wrote the data. */
export const mismatchRefusal = (report: MasterKeyReport) =>
  `MASTER_KEYS does not open this database's data: master key ${named(report.mismatched)} has the id of the key that wrapped them but another secret. Run with the MASTER_KEYS that wrote this database (every gateway, worker and console shares one value), or point DATABASE_URL at another database.`;

/** The complaint about data keys no configured key can open (their tenants' requests fail). */
export const missingComplaint = (report: MasterKeyReport) =>
  `MASTER_KEYS lacks master keys that wrapped stored data keys: ${named(report.missing)}. Requests of those tenants fail until the key is added to MASTER_KEYS (after a rotation, keep the old key until \`aiaas keys rotate-master\` says it may go).`;

/**
 * Checks the master keys as soon as Postgres answers (again every `retryMs`
 * until it does). `refuse` is called when a configured key is not the one
 * that wrote the data (the apps stop); `complain`, when some data keys are
 * wrapped with a key that is not configured. `ready` is a readiness check
 * that fails until the keys have been checked.
 */
export function guardMasterKeys(
  db: Db,
  masterKeys: MasterKeys,
  { refuse, complain }: { refuse: (refusal: string) => void; complain: (complaint: string) => void },
  retryMs = 2_000,
): { ready: () => Promise<void> } {
  let checked = false;
  let lastError = "not checked yet";
  const attempt = () => {
    checkMasterKeys(db, masterKeys).then(
      (report) => {
        if (report.mismatched.length) return refuse(mismatchRefusal(report));
        if (report.missing.length) complain(missingComplaint(report));
        checked = true;
      },
      (error: unknown) => {
        lastError = `not checked yet: ${(error as Error).message}`;
        setTimeout(attempt, retryMs).unref();
      },
    );
  };
  attempt();
  return { ready: () => (checked ? Promise.resolve() : Promise.reject(new Error(lastError))) };
}
