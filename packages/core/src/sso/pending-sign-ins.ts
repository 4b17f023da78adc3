import type { Db } from "@aiaas/db";
import { newId } from "../ids.ts";

/** How long someone has at their IdP before the sign-in they started expires. */
export const PENDING_SIGN_IN_MINUTES = 10;

/**
 * Sign-ins started here and not yet finished (an OIDC state, a SAML request
 * id), kept in Postgres (they outlive a Redis restart and reach every
 * console process) and taken once: the DELETE that reads one removes it, so
 * two callbacks with the same state (a replay) cannot both find it.
 */
export async function savePendingSignIn(db: Db, key: string, value: unknown) {
  await db.verification.create({
    data: {
      id: newId("verification"),
      identifier: `sso:${key}`,
      value: JSON.stringify(value),
      expiresAt: new Date(Date.now() + PENDING_SIGN_IN_MINUTES * 60_000),
    },
  });
}

/** The pending sign-in under `key`, removed; null when there is none (never started, expired, or already taken). */
export async function takePendingSignIn<T>(db: Db, key: string): Promise<T | null> {
  const rows = await db.$queryRaw<{ value: string; expires_at: Date }[]>`
    DELETE FROM verifications WHERE identifier = ${`sso:${key}`} RETURNING value, expires_at`;
  const row = rows[0];
  if (!row || row.expires_at.getTime() < Date.now()) return null;
  return JSON.parse(row.value) as T;
}

/** Whether a sign-in is pending under `key`, leaving it there (SAML's library asks before the response is checked). */
export async function hasPendingSignIn(db: Db, key: string): Promise<boolean> {
  const found = await db.verification.findFirst({
    where: { identifier: `sso:${key}`, expiresAt: { gt: new Date() } },
    select: { id: true },
  });
  return Boolean(found);
}

/** Removes sign-ins started and never finished once they expired (the maintenance purge); how many. */
export async function purgeExpiredSignIns(db: Db, now: Date): Promise<number> {
  const { count } = await db.verification.deleteMany({
    where: { identifier: { startsWith: "sso:" }, expiresAt: { lt: now } },
  });
  return count;
}
