import type { Db } from "@aiaas/db";
import { SsoRefusal } from "./sso-refusal.ts";

/**
 * A signed-in person proving who they are again through their IdP (ASVS
 * 3.7.1, as confirming a password does): kept with the pending sign-in, so
 * the IdP's answer stamps this session rather than starting a new one.
 */
export interface PendingReauthentication {
  sessionId: string;
  userId: string;
  /** A console path to go back to (checked by `consolePath`). */
  returnTo: string;
  /** When it started (ms): the IdP must have authenticated the person since. */
  startedAt: number;
}

/** A path on the console to send someone back to: `/…`, never another site (`//…`, `/\…`) or a URL. */
export function consolePath(value: string): string {
  return /^\/(?![/\\])[^\s\\]*$/.test(value) && value.length <= 500 ? value : "/";
}

/** How far the IdP's clock may be behind ours when it says when it authenticated someone. */
const REAUTHENTICATION_SKEW_MS = 60_000;

/**
 * Stamps the session that asked (`reauthenticatedAt`, as a confirmed password
 * does) once the IdP has vouched for the same person it belongs to, having
 * authenticated them since the re-authentication began. Refused when the IdP
 * signed in someone else, answered from an older sign-in (or did not say
 * when), or the session has ended meanwhile.
 */
export async function confirmReauthentication(
  db: Db,
  pending: PendingReauthentication,
  vouched: { userId: string; authenticatedAt?: number | undefined },
) {
  const { userId, authenticatedAt } = vouched;
  if (userId !== pending.userId) {
    throw new SsoRefusal("not_you", "The identity provider confirmed someone other than the person signed in here.");
  }
  if (!(authenticatedAt !== undefined && authenticatedAt >= pending.startedAt - REAUTHENTICATION_SKEW_MS)) {
    throw new SsoRefusal("invalid_response", "The identity provider did not make you sign in again.");
  }
  const { count } = await db.session.updateMany({
    where: { id: pending.sessionId, userId, expiresAt: { gt: new Date() } },
    data: { reauthenticatedAt: new Date() },
  });
  if (count === 0) throw new SsoRefusal("expired", "The session that asked to confirm has ended.");
}
