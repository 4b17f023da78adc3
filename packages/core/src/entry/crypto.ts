// @aiaas/core/crypto: Envelope encryption: master keys, tenant data keys (and their rotation), sealing.
export { seal, open, sealedKeyId, DecryptionError, type SymmetricKey } from "../crypto/envelope.ts";
export { parseMasterKeys, type MasterKeys } from "../crypto/master-keys.ts";
export { TenantKeyring } from "../crypto/tenant-keyring.ts";
export { dataKeyLimits, destroyRetiredDataKeys, rotateDataKey } from "../crypto/data-key-rotation.ts";
export {
  checkMasterKeys,
  guardMasterKeys,
  mismatchRefusal,
  missingComplaint,
  type MasterKeyReport,
} from "../crypto/master-key-check.ts";
export { rewrapDataKeys, type RewrapDataKeysInput, type RewrapReport } from "../crypto/rewrap-data-keys.ts";
