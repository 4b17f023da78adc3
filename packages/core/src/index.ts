// Browser-safe exports: no node built-ins, no database access.
export { domainErrorStatus, type DomainErrorCode } from "./errors.ts";
export { apiKeyScopes, type ApiKeyScope } from "./keys/api-key-scopes.ts";
export type { ApiKeyStatus } from "./keys/list-api-keys.ts";
export { permissionScopes, type PermissionScope } from "./tenancy/permissions.ts";
export { formatPerMillionTokens, formatUsd, microsToUsd, usdToMicros } from "./billing/money.ts";
export type { LimitMeter } from "./quota/limit-meters.ts";
export { utcDayKey } from "./time/utc-calendar.ts";
export {
  judgePassword,
  MIN_PASSWORD_LENGTH,
  MIN_PASSWORD_SCORE,
  type PasswordVerdict,
} from "./auth/password-strength.ts";
