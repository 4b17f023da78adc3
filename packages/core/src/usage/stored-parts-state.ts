import type { PromptRetention } from "@aiaas/db";
import { retentionDays } from "../retention/prompt-retention.ts";

const DAY_MS = 86_400_000;

const daysBetween = (from: Date, to: Date) => Math.max(1, Math.round((to.getTime() - from.getTime()) / DAY_MS));
const plural = (days: number) => `${days} day${days === 1 ? "" : "s"}`;

/** Whether a request's prompt and response can still be read, and if not, why. */
export type StoredPartsState =
  | { state: "stored"; until: Date | null; note: string }
  | { state: "purged"; afterDays: number; note: string }
  | { state: "not_stored"; retention: PromptRetention; note: string };

/**
 * What the console says about a request's stored prompt and response. The
 * retention purge clears `purge_after` with the ciphertext, so a cleared row
 * is told apart from one never stored by the tenant's retention and the
 * request's age. A row past `purge_after` is treated as purged even before
 * the purge has run.
 */
export function storedPartsState(
  request: { createdAt: Date; purgeAfter: Date | null; hasPrompt: boolean; hasResponse: boolean },
  retention: PromptRetention,
  now: Date = new Date(),
): StoredPartsState {
  const purged = (afterDays: number): StoredPartsState => ({
    state: "purged",
    afterDays,
    note: `Purged after ${plural(afterDays)}.`,
  });
  if (request.hasPrompt || request.hasResponse) {
    const { purgeAfter } = request;
    if (purgeAfter && purgeAfter <= now) {
      return purged(daysBetween(request.createdAt, purgeAfter));
    }
    const keptDays = purgeAfter ? daysBetween(request.createdAt, purgeAfter) : null;
    return {
      state: "stored",
      until: purgeAfter,
      note: keptDays ? `Stored, encrypted; purged after ${plural(keptDays)}.` : "Stored, encrypted.",
    };
  }
  const days = retentionDays[retention];
  if (days !== null && now.getTime() - request.createdAt.getTime() >= days * DAY_MS) return purged(days);
  return {
    state: "not_stored",
    retention,
    note:
      retention === "none"
        ? "Not stored (retention: none)."
        : "Not stored: retention was none when this request was made.",
  };
}
