// @aiaas/core/keys: API keys: formats, hashes, creation, listing, revocation, verification and the auth cache.
export { generateApiKey, parseApiKey, keyEnvironments, type ParsedApiKey } from "../keys/api-key-format.ts";
export { hashApiKey } from "../keys/api-key-hash.ts";
export { createApiKey, createApiKeyInput, type CreateApiKeyInput, type KeyContext } from "../keys/create-api-key.ts";
export { listApiKeys, apiKeyStatus } from "../keys/list-api-keys.ts";
export { revokeApiKey, revokeApiKeyInput } from "../keys/revoke-api-key.ts";
export { revokeSessionKeys } from "../keys/revoke-session-keys.ts";
export {
  ApiKeyVerifier,
  keyDenial,
  type ApiKeyVerifierOptions,
  type KeyDenial,
  type KeyVerification,
} from "../keys/api-key-verifier.ts";
export {
  invalidateAuthCache,
  isKeyRevoked,
  authCacheKeys,
  followTenantInvalidations,
  type AuthInvalidation,
} from "../keys/auth-cache.ts";
export { loadKeyRecordById, type KeyRecord } from "../keys/key-record.ts";
export { rollApiKey, rollApiKeyInput } from "../keys/roll-api-key.ts";
export { createPlaygroundKey, PLAYGROUND_KEY_TTL_MS, PLAYGROUND_KEY_NAME } from "../keys/create-playground-key.ts";
export { apiKeyScopes, type ApiKeyScope } from "../keys/api-key-scopes.ts";
