import type { PromptRetention } from "@aiaas/db";

const DAY_MS = 86_400_000;

/** Days a tenant's prompts and completions are kept, per retention setting; null: never stored. */
export const retentionDays = { none: null, days_7: 7, days_30: 30 } as const satisfies Record<
  PromptRetention,
  number | null
>;

/**
 * Until when a request's prompt and completion may be stored (their
 * `purge_after`), or null when the tenant's retention is `none`: then they
 * are not stored at all.
 */
export function promptPurgeAfter(retention: PromptRetention, now: Date = new Date()): Date | null {
  const days = retentionDays[retention];
  return days === null ? null : new Date(now.getTime() + days * DAY_MS);
}
