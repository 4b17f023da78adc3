// @aiaas/core/usage: Usage records of requests: daily usage, breakdowns, stored prompts, dead letters.
export { sealStoredPart, openStoredPart, storedPartContext, type StoredPart } from "../usage/stored-request.ts";
export { dailyUsage, type UsageDay, type UsageTotals } from "../usage/daily-usage.ts";
export { listRecentRequests, type RequestMetadata } from "../usage/recent-requests.ts";
export { getRequestDetail } from "../usage/request-detail.ts";
export { readStoredRequest, type StoredReadContext } from "../usage/read-stored-request.ts";
export { storedPartsState, type StoredPartsState } from "../usage/stored-parts-state.ts";
export { usageBreakdown, type UsageRow } from "../usage/usage-breakdown.ts";
export { listUsageDeadLetters, type UsageDeadLetterView } from "../usage/usage-dead-letters.ts";
