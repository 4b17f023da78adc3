import { randomBytes } from "node:crypto";
import type { Redis } from "ioredis";
import type { PlatformRole, TenantRole } from "@aiaas/db";
import { authenticatedAt } from "@aiaas/core/auth";
import { parseMasterKeys, TenantKeyring } from "@aiaas/core/crypto";
import { newId } from "@aiaas/core/platform";
import { type StripeClient } from "@aiaas/core/stripe";
import { testApplicationDb, testDb, testOperatorDb, testPepper } from "@aiaas/core/testing";
import type { ApiContext, SessionUser } from "../context.ts";
import { createCaller } from "../root.ts";

/** The clients the console gives the control plane, one per database role. */
const roleClients = () => ({ db: testApplicationDb(), platformDb: testDb(), operatorDb: testOperatorDb() });

let keyring: TenantKeyring | undefined;

/** One keyring per test file, under a master key of its own; fixtures seal with it, callers open with it. */
export function testKeyring(): TenantKeyring {
  keyring ??= new TenantKeyring(testDb(), parseMasterKeys(`test:${randomBytes(32).toString("base64")}`));
  return keyring;
}

/**
 * A real user with a real session row (as the console's auth would create),
 * optionally a member of `tenantId` with `role`, and a caller acting as them.
 */
export async function callerFor(
  redis: Redis,
  options: {
    tenantId?: string;
    role?: TenantRole;
    platformRole?: PlatformRole;
    /** The account's address (default: a fresh one). */
    email?: string;
    /** False for a person who has not opened the link mailed at sign-up (default true). */
    emailVerified?: boolean;
    /** TOTP enrolled (default: operators yes, everyone else no). */
    twoFactorEnabled?: boolean;
    queuePrefix?: string;
    stripe?: StripeClient;
    /** Signed in by this tenant's identity provider (single sign-on). */
    ssoTenantId?: string;
    abuseLimits?: ApiContext["abuseLimits"];
  } = {},
) {
  const db = testDb();
  const email = options.email ?? `u-${randomBytes(5).toString("hex")}@example.com`;
  const user = await db.user.create({
    data: {
      id: newId("user"),
      email,
      name: email.split("@")[0] ?? "user",
      role: options.platformRole ?? "user",
      emailVerified: options.emailVerified ?? true,
      twoFactorEnabled: options.twoFactorEnabled ?? options.platformRole === "operator",
    },
  });
  if (options.tenantId) {
    await db.membership.create({
      data: { id: newId("membership"), tenantId: options.tenantId, userId: user.id, role: options.role ?? "owner" },
    });
  }
  const session = await db.session.create({
    data: {
      id: newId("session"),
      userId: user.id,
      token: randomBytes(16).toString("hex"),
      expiresAt: new Date(Date.now() + 3_600_000),
      activeTenantId: options.tenantId ?? null,
      ssoTenantId: options.ssoTenantId ?? null,
    },
  });
  const sessionUser = (): Omit<SessionUser, "authenticatedAt"> => ({
    sessionId: session.id,
    userId: user.id,
    email,
    name: user.name,
    platformRole: user.role,
    emailVerified: user.emailVerified,
    twoFactorEnabled: user.twoFactorEnabled,
    activeTenantId: options.tenantId ?? null,
    ssoTenantId: options.ssoTenantId ?? null,
  });
  const context = async (): Promise<ApiContext> => {
    // Like the console: the active tenant is read from the session row on every request.
    const current = await db.session.findUniqueOrThrow({ where: { id: session.id } });
    return {
      ...roleClients(),
      redis,
      pepper: testPepper,
      keyring: testKeyring(),
      ssoAllowPrivateIdps: true,
      consoleUrl: "http://localhost:3000",
      queuePrefix: options.queuePrefix ?? "aiaas",
      stripe: options.stripe ?? null,
      session: { ...sessionUser(), activeTenantId: current.activeTenantId, authenticatedAt: authenticatedAt(current) },
      ...(options.abuseLimits && { abuseLimits: options.abuseLimits }),
      ip: "127.0.0.1",
      userAgent: "test",
      requestId: null,
    };
  };
  return { user, session, context, caller: createCaller(context) };
}

/** A caller with a context of its own: anonymous, on the test database, unless `context` says otherwise. */
export const contextCaller = (redis: Redis, context: Partial<ApiContext> = {}) =>
  createCaller({
    ...roleClients(),
    redis,
    pepper: testPepper,
    keyring: testKeyring(),
    consoleUrl: "http://localhost:3000",
    queuePrefix: "aiaas",
    stripe: null,
    session: null,
    ip: null,
    userAgent: null,
    requestId: null,
    ...context,
  });

export const anonymousCaller = (redis: Redis) => contextCaller(redis);
