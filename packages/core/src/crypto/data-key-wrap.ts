import { DecryptionError, open, seal, sealedKeyId, type SymmetricKey } from "./envelope.ts";
import type { MasterKeys } from "./master-keys.ts";

/** A wrapped data key opens only for its own tenant and id. */
const wrapContext = (tenantId: string, dataKeyId: string) => `data-key:${tenantId}:${dataKeyId}`;

/** Seals a data key's 32 bytes under a master key, as stored in `tenant_data_keys.wrapped_key`. */
export function wrapDataKey(
  master: SymmetricKey,
  tenantId: string,
  dataKeyId: string,
  key: Uint8Array,
): Uint8Array<ArrayBuffer> {
  return new Uint8Array(seal(master, key, wrapContext(tenantId, dataKeyId)));
}

/** Unwraps with whichever configured master key the wrapped bytes name. */
export function unwrapDataKey(
  masterKeys: MasterKeys,
  tenantId: string,
  row: { id: string; wrappedKey: Uint8Array },
): SymmetricKey {
  const masterId = sealedKeyId(row.wrappedKey);
  const master = masterKeys.byId.get(masterId);
  if (!master) throw new DecryptionError(`master key ${masterId} (wrapping data key ${row.id}) is not configured`);
  return { id: row.id, key: open(master, row.wrappedKey, wrapContext(tenantId, row.id)) };
}
