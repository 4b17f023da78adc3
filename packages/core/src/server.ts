// Server-only exports: domain services over the database.
export * from "./index.ts";
export { type Actor, type ChangeContext, systemActor } from "./actor.ts";
export { DomainError, notFound } from "./errors.ts";
export { newId, idPrefixes, type IdKind } from "./ids.ts";
export {
  accountAuditChain,
  accountAuditChains,
  appendAuditEvent,
  PLATFORM_CHAIN,
  type AuditEntry,
} from "./audit/append-audit-event.ts";
export { auditEventHash, GENESIS_HASH } from "./audit/audit-hash.ts";
export { generateApiKey, parseApiKey, keyEnvironments, type ParsedApiKey } from "./keys/api-key-format.ts";
export { hashApiKey } from "./keys/api-key-hash.ts";
export { createApiKey, createApiKeyInput, type CreateApiKeyInput, type KeyContext } from "./keys/create-api-key.ts";
export { listApiKeys, apiKeyStatus } from "./keys/list-api-keys.ts";
export { revokeApiKey, revokeApiKeyInput } from "./keys/revoke-api-key.ts";
export { revokeSessionKeys } from "./keys/revoke-session-keys.ts";
export { setUserStatus } from "./users/set-user-status.ts";
export { createTenant, createTenantInput, type CreateTenantInput } from "./tenants/create-tenant.ts";
export { findTenantOrThrow } from "./tenants/find-tenant.ts";
export { listTenants } from "./tenants/list-tenants.ts";
export { setTenantStatus, setTenantStatusInput } from "./tenants/set-tenant-status.ts";
export { tenantSlug, slugify } from "./tenants/tenant-slug.ts";
export { mailableName } from "./text/mailable-name.ts";
export { modelCatalogue, type CatalogueModel } from "./models/model-catalogue.ts";
export { listModelAccess, setModelAccess, setModelAccessInput } from "./models/model-access.ts";
export { seedDemo, type DemoSeedInput, type DemoSeedResult } from "./seed/seed-demo.ts";
export { checkReadiness, type ReadinessCheck, type ReadinessReport } from "./health/readiness.ts";
export { registerHealthRoutes, type HealthRoutesOptions } from "./health/health-routes.ts";
export { FailureReporter, type FailureEvent, type FailureContext } from "./health/failure-reporter.ts";
export { ScriptError } from "./redis/run-script.ts";
export { createRedis, type RedisRole } from "./redis/create-redis.ts";
export { consumeRateCounters, type RateCounter } from "./redis/rate-counters.ts";
export { loggerOptions, type LogFormat } from "./process/logger-options.ts";
export { onShutdown } from "./process/on-shutdown.ts";
export { verifyAuditChain, type AuditChainReport } from "./audit/audit-chain.ts";
export {
  auditSigningKeys,
  chainHeads,
  verifyCheckpoints,
  type AuditCheckpoint,
  type CheckpointReport,
} from "./audit/audit-checkpoints.ts";
export { AuditCheckpointer } from "./audit/audit-checkpointer.ts";
export { CheckpointDirectory } from "./audit/checkpoint-directory.ts";
export {
  ApiKeyVerifier,
  type ApiKeyVerifierOptions,
  type KeyDenial,
  type KeyVerification,
} from "./keys/api-key-verifier.ts";
export {
  invalidateAuthCache,
  authCacheKeys,
  followTenantInvalidations,
  type AuthInvalidation,
} from "./keys/auth-cache.ts";
export type { KeyRecord } from "./keys/key-record.ts";
export { createAuth, type Auth, type AuthOptions } from "./auth/create-auth.ts";
export { authenticatedAt, REAUTHENTICATE_AFTER_MINUTES } from "./auth/reauthentication.ts";
export { permissionScopes, rolePermissions, roleCan, type PermissionScope } from "./tenancy/permissions.ts";
export { queueEmail, type OutgoingEmail } from "./outbox/queue-email.ts";
export { listAuditEvents, type AuditQuery } from "./audit/list-audit-events.ts";
export { inviteMember, inviteMemberInput, INVITATION_DAYS } from "./members/invite-member.ts";
export { acceptInvitation, findInvitationFor } from "./members/accept-invitation.ts";
export { changeMemberRole, removeMember, cancelInvitation } from "./members/change-member.ts";
export { listMembers } from "./members/list-members.ts";
export { handleAuthRequest } from "./auth/handle-auth-request.ts";
export { CLIENT_IP_HEADER, clientAddressResolver, clientIpOf } from "./net/client-address.ts";
export { rollApiKey, rollApiKeyInput } from "./keys/roll-api-key.ts";
export { updateTenantSettings, tenantSettingsInput } from "./tenants/update-tenant-settings.ts";
export { seal, open, sealedKeyId, DecryptionError, type SymmetricKey } from "./crypto/envelope.ts";
export { parseMasterKeys, type MasterKeys } from "./crypto/master-keys.ts";
export { TenantKeyring } from "./crypto/tenant-keyring.ts";
export { destroyRetiredDataKeys, rotateDataKey } from "./crypto/data-key-rotation.ts";
export {
  checkMasterKeys,
  guardMasterKeys,
  mismatchRefusal,
  missingComplaint,
  type MasterKeyReport,
} from "./crypto/master-key-check.ts";
export {
  inferenceJob,
  inferenceInputs,
  inferenceOutputs,
  inferenceResult,
  inferenceJobOptions,
  inferenceTasks,
  jobReceipt,
  payloadContext,
  withoutInput,
  type JobReceipt,
  type InferenceJob,
  type InferenceInput,
  type InferenceOutput,
  type InferenceResult,
  type InferenceTask,
} from "./queue/inference-job.ts";
export { queues, DEFAULT_QUEUE_PREFIX } from "./queue/queues.ts";
export { sealJson, openJson, float32ToBase64, base64ToFloat32 } from "./queue/sealed-json.ts";
export { TokenStreamWriter, tokenStreamKey, type TokenStreamEntry } from "./queue/token-stream.ts";
export { TokenStreamOrder, TokenStreamOutOfOrder } from "./queue/token-stream-order.ts";
export { TokenStreamReader } from "./queue/token-stream-reader.ts";
export { CancelWatcher, requestCancel, cancelChannel, cancelKey } from "./queue/cancel-requests.ts";
export {
  publishWorkerStatus,
  removeWorkerStatus,
  listLiveWorkers,
  workerStatus,
  type WorkerStatus,
} from "./queue/worker-registry.ts";
export { unrecoverable, parseJobFailure, jobFailureCodes, type JobFailureCode } from "./queue/job-failure.ts";
export { InferenceClient, type SubmitOptions, type Completed } from "./queue/inference-client.ts";
export { publishReply } from "./queue/job-replies.ts";
export { listWorkers, type WorkerRow, type WorkerState } from "./workers/list-workers.ts";
export { rewrapDataKeys, type RewrapDataKeysInput, type RewrapReport } from "./crypto/rewrap-data-keys.ts";
export { deleteTenant, deleteTenantInput, type DeleteTenantInput } from "./tenants/delete-tenant.ts";
export { promptPurgeAfter, retentionDays } from "./retention/prompt-retention.ts";
export { purgeExpiredPrompts, type PurgeOptions } from "./retention/purge-expired-prompts.ts";
export {
  maintenanceJob,
  maintenanceJobOptions,
  maintenanceTasks,
  type MaintenanceJob,
  type MaintenanceTask,
} from "./queue/maintenance-job.ts";
export { sealStoredPart, openStoredPart, storedPartContext, type StoredPart } from "./usage/stored-request.ts";
export { dailyUsage, type UsageDay, type UsageTotals } from "./usage/daily-usage.ts";
export { listRecentRequests, type RequestMetadata } from "./usage/recent-requests.ts";
export { getRequestDetail } from "./usage/request-detail.ts";
export { readStoredRequest, type StoredReadContext } from "./usage/read-stored-request.ts";
export { storedPartsState, type StoredPartsState } from "./usage/stored-parts-state.ts";
export { createPlaygroundKey, PLAYGROUND_KEY_TTL_MS, PLAYGROUND_KEY_NAME } from "./keys/create-playground-key.ts";
export { seedCatalogue } from "./seed/seed-catalogue.ts";
export {
  QuotaGate,
  budgetPeriod,
  type QuotaScope,
  type ScopeUse,
  type Reservation,
  type Admission as QuotaDecision,
} from "./quota/quota-gate.ts";
export { spentInBudgetPeriod } from "./quota/budget-spend.ts";
export { ADMIT_SCRIPT, SETTLE_SCRIPT } from "./quota/admission-script.ts";
export { tenantLimits, hasLimits, noLimits, type LimitSet, type LimitName } from "./quota/limits.ts";
export { usageCost, type UnitPrices } from "./billing/usage-cost.ts";
export { formatPerMillionTokens, formatUsd, microsToUsd, usdToMicros } from "./billing/money.ts";
export { billingPeriodOf, billingPeriodNamed, type BillingPeriod } from "./billing/billing-period.ts";
export { accountStatement, type PeriodStatement } from "./billing/account-statement.ts";
export { includedUsageOf } from "./billing/free-allowance.ts";
export { platformBilling } from "./billing/platform-billing.ts";
export { previewInvoice, type InvoiceView, type InvoiceLineView } from "./billing/invoice-preview.ts";
export { grantCredits, type GrantCreditsInput } from "./billing/grant-credits.ts";
export { setModelPrice, listModelPrices, type SetModelPriceInput } from "./billing/set-model-price.ts";
export { createPlan, setPlanTerms, type PlanTermsChange } from "./billing/set-plan-terms.ts";
export { chargeSubscriptions } from "./billing/charge-subscriptions.ts";
export { createStripe, type StripeClient } from "./billing/stripe/stripe-client.ts";
export { startSubscriptionCheckout, startTopUpCheckout, openBillingPortal } from "./billing/stripe/stripe-checkout.ts";
export { handleStripeEvent, type EventOutcome } from "./billing/stripe/stripe-events.ts";
export { receiveStripeWebhook } from "./billing/stripe/stripe-webhook.ts";
export { reportUsageToStripe, USAGE_METER_EVENT } from "./billing/stripe/meter-reporting.ts";
export { startOfUtcDay, utcDayKey } from "./time/utc-calendar.ts";
export { setTenantQuota, setKeyLimits, setPlanLimits, limitsChange, type LimitsChange } from "./quota/set-limits.ts";
export { limitMeters, type LimitMeter } from "./quota/limit-meters.ts";
export { liveTenantUsage } from "./quota/live-tenant-usage.ts";
export { listPlans } from "./quota/list-plans.ts";
export { loadTenantQuota, meterTenantQuota, type TenantQuota } from "./quota/tenant-quota.ts";
export { FairShare } from "./queue/fair-share.ts";
export { BudgetAlerts, budgetAlertLevel } from "./quota/budget-alerts.ts";
export { usageBreakdown, type UsageRow } from "./usage/usage-breakdown.ts";
export { listUsageDeadLetters, type UsageDeadLetterView } from "./usage/usage-dead-letters.ts";
