import { betterAuth, type BetterAuthPlugin } from "better-auth";
import { prismaAdapter } from "better-auth/adapters/prisma";
import { APIError, createAuthMiddleware, isAPIError } from "better-auth/api";
import { twoFactor } from "better-auth/plugins";
import type { Redis } from "ioredis";
import type { Db } from "@aiaas/db";
import { createAuthPrismaClient } from "@aiaas/db";
import { accountAuditChain, appendAuditEvent } from "../audit/append-audit-event.ts";
import { newId, type IdKind } from "../ids.ts";
import { CLIENT_IP_HEADER, clientIpOf } from "../net/client-address.ts";
import { queueEmail } from "../outbox/queue-email.ts";
import { mailableName } from "../text/mailable-name.ts";
import { redisRateLimitStorage, unavailableWithoutRedis } from "./redis-rate-limit-storage.ts";
import { AuthThrottle, type AuthThrottleLimits } from "./auth-throttle.ts";
import { judgePassword, MIN_PASSWORD_LENGTH } from "./password-strength.ts";
import { reauthentication } from "./reauthentication.ts";
import { securityNotice } from "./security-notices.ts";
import { twoFactorEvents } from "./two-factor-events.ts";

export interface AuthOptions {
  databaseUrl: string;
  /** Our own client as the platform role (secret columns omitted): audit events, the outbox, a person's memberships. */
  db: Db;
  redis: Redis;
  /** Where the console is served, e.g. http://localhost:3000. */
  baseUrl: string;
  secret: string;
  /** e.g. better-auth's nextCookies() in the console. */
  plugins?: BetterAuthPlugin[];
  /** Per client IP and minute (the per-account rules are fixed: auth-throttle.ts). */
  limits?: AuthThrottleLimits;
}

/** A session's whole life: then its person signs in again. */
export const SESSION_HOURS = 12;

const idKinds: Record<string, IdKind> = {
  user: "user",
  session: "session",
  account: "account",
  verification: "verification",
  twoFactor: "twoFactor",
};

/**
 * Identity for the console: email + password accounts, sessions, email
 * verification and password reset (mail goes to the outbox), rate limits per
 * IP (Redis) and per account. Tenancy is ours (packages/core/tenancy), so
 * every tenant change is audited in the same transaction as the change.
 */
/** A signed-in user's changes to their own account, by endpoint, and the audit action of each. */
const auditedAccountChanges: Record<string, string> = {
  "/change-password": "auth.password_change",
  "/update-user": "auth.profile_update",
  "/revoke-session": "auth.sessions_revoke",
  "/revoke-sessions": "auth.sessions_revoke",
  "/revoke-other-sessions": "auth.sessions_revoke",
};

/** A person's name goes into mail (verification, invitations they send): plain text, no links. */
const personName = mailableName("Your name must be 1 to 100 characters.");

/** A display name, as sign-up and the account page take it (see mailableName). */
function refuseBadName(body: unknown) {
  const name = (body as { name?: unknown } | undefined)?.name;
  if (name === undefined) return;
  const parsed = personName.safeParse(name);
  if (!parsed.success) {
    const message = parsed.error.issues[0]?.message ?? "Your name must be 1 to 100 characters.";
    throw new APIError("BAD_REQUEST", { message: typeof name === "string" ? message : "Your name must be text." });
  }
}

/** Where a new password is chosen, and what of the request an attacker could know. */
const newPasswordFields: Record<string, { field: string; known: string[] }> = {
  "/sign-up/email": { field: "password", known: ["email", "name"] },
  "/reset-password": { field: "newPassword", known: [] },
  "/change-password": { field: "newPassword", known: [] },
};

/** ASVS 2.1.7: a breached, common or otherwise guessable new password is refused, saying why. */
async function refuseGuessablePassword(path: string, body: unknown) {
  const rule = newPasswordFields[path];
  const fields = (body ?? {}) as Record<string, unknown>;
  const password = rule && fields[rule.field];
  // Too short or not text: better-auth's own validation answers.
  if (!rule || typeof password !== "string" || password.length < MIN_PASSWORD_LENGTH) return;
  const known = rule.known.map((name) => fields[name]).filter((value): value is string => typeof value === "string");
  const { refusal } = await judgePassword(password, known);
  if (refusal) throw new APIError("BAD_REQUEST", { code: "PASSWORD_TOO_GUESSABLE", message: refusal });
}

export function createAuth({
  databaseUrl,
  db,
  redis,
  baseUrl,
  secret,
  plugins = [],
  limits = { signUpsPerMinute: 5, signInsPerMinute: 10 },
}: AuthOptions) {
  const throttle = new AuthThrottle(redis, limits);
  /**
   * ASVS 2.8.4: a TOTP signs in once. better-auth accepts a code again within
   * its 30 seconds, so a sign-in whose code was already used loses the session
   * it was just given and is refused.
   */
  const refuseReusedCode = async (ctx: {
    path: string;
    body?: unknown;
    headers?: Headers;
    context: {
      returned?: unknown;
      newSession: { session: { token: string }; user: { id: string; email: string } } | null;
      internalAdapter: { deleteSession(token: string): Promise<unknown> };
    };
  }) => {
    const fresh = ctx.context.newSession;
    const code = (ctx.body as { code?: unknown } | undefined)?.code;
    if (ctx.path !== "/two-factor/verify-totp" || !fresh || isAPIError(ctx.context.returned)) return;
    const first = await unavailableWithoutRedis(() =>
      redis.set(`aiaas:totp-used:${fresh.user.id}:${String(code)}`, "1", "EX", 90, "NX"),
    );
    if (first === "OK") return;
    await ctx.context.internalAdapter.deleteSession(fresh.session.token);
    await audit("auth.mfa_code_reused", { id: fresh.user.id, label: fresh.user.email }, "failure", ctx.headers);
    throw new APIError("UNAUTHORIZED", { message: "That code was already used. Wait for the next one from your app." });
  };
  const audit = (
    action: string,
    actor: { id: string | null; label: string },
    result: "success" | "failure",
    headers?: Headers,
    metadata?: Record<string, unknown>,
  ) =>
    db.$transaction(async (tx) => {
      const event = await appendAuditEvent(
        {
          tenantId: null,
          chain: accountAuditChain(actor.label),
          action,
          result,
          targetType: "user",
          ...(actor.id && { targetId: actor.id }),
          ...(metadata && { metadata }),
        },
        {
          actor: { type: "user", id: actor.id, label: actor.label },
          ip: clientIpOf(headers),
          userAgent: headers?.get("user-agent") ?? null,
        },
        tx,
      );
      // Changes to how someone signs in are also mailed to them, with the audit event, in one transaction.
      const notice = securityNotice(action, {
        email: actor.label,
        ip: event.ip,
        at: event.occurredAt,
        consoleUrl: baseUrl,
      });
      if (notice) await queueEmail(notice, tx);
    });

  return betterAuth({
    appName: "aiaas",
    baseURL: baseUrl,
    secret,
    database: prismaAdapter(createAuthPrismaClient({ databaseUrl }), { provider: "postgresql" }),
    emailAndPassword: {
      enabled: true,
      // ASVS 2.1.1: at least 12 characters (docs/security.md).
      minPasswordLength: MIN_PASSWORD_LENGTH,
      autoSignIn: true,
      // A reset signs the account out everywhere.
      revokeSessionsOnPasswordReset: true,
      onPasswordReset: async ({ user }, request) => {
        await audit("auth.password_reset", { id: user.id, label: user.email }, "success", request?.headers);
      },
      sendResetPassword: async ({ user, url }) => {
        await queueEmail(
          {
            to: user.email,
            kind: "reset-password",
            subject: "Reset your aiaas password",
            text: `Someone asked to reset the password of ${user.email}.\n\nSet a new one here (valid for one hour):\n${url}\n\nIf it was not you, ignore this mail.`,
          },
          db,
        );
      },
    },
    emailVerification: {
      sendOnSignUp: true,
      autoSignInAfterVerification: true,
      sendVerificationEmail: async ({ user, url }) => {
        await queueEmail(
          {
            to: user.email,
            kind: "verify-email",
            subject: "Confirm your email for aiaas",
            text: `Welcome to aiaas, ${user.name}.\n\nConfirm your email address:\n${url}`,
          },
          db,
        );
      },
    },
    user: { additionalFields: { role: { type: "string", input: false, defaultValue: "user", required: false } } },
    session: {
      // ASVS 3.3.2 (level 2): sign in again after 12 hours, however active; never extended meanwhile.
      expiresIn: SESSION_HOURS * 3600,
      updateAge: SESSION_HOURS * 3600,
      additionalFields: {
        activeTenantId: { type: "string", input: false, required: false },
        reauthenticatedAt: { type: "date", input: false, required: false },
        ssoTenantId: { type: "string", input: false, required: false },
      },
    },
    advanced: {
      // ASVS 3.4.4: over https every cookie is __Host- (Secure, Path=/, no Domain), so no other host can set or
      // shadow it; better-auth's own choice would be __Secure-. Plain http (local use) cannot carry either.
      useSecureCookies: false,
      cookiePrefix: baseUrl.startsWith("https://") ? "__Host-better-auth" : "better-auth",
      defaultCookieAttributes: { secure: baseUrl.startsWith("https://") },
      // Our prefixed ids; with this configuration better-auth only writes these four models.
      database: { generateId: ({ model }) => newId(idKinds[model] ?? "verification") },
      // Set by the console's server from the connection and TRUSTED_PROXIES (net/client-address.ts).
      ipAddress: { ipAddressHeaders: [CLIENT_IP_HEADER] },
      // Explicit: better-auth turns these checks off by itself under NODE_ENV=test.
      disableOriginCheck: false,
      disableCSRFCheck: false,
    },
    rateLimit: {
      enabled: true,
      window: 60,
      max: 100,
      // These are ours (AuthThrottle, per IP and per account in one script); every other path: 100 a minute per IP.
      customRules: Object.fromEntries(throttle.paths.map((path) => [path, false as const])),
      customStorage: redisRateLimitStorage(redis),
    },
    databaseHooks: {
      session: {
        create: {
          // A new session starts in the user's first tenant.
          before: async (session) => {
            // A suspended person gets no session, whatever signed them in (password, second factor, reset).
            const person = await db.user.findUnique({ where: { id: session.userId }, select: { banned: true } });
            if (person?.banned) {
              throw new APIError("FORBIDDEN", {
                message: "This account is suspended. Contact support to have it resumed.",
              });
            }
            const membership = await db.membership.findFirst({
              where: { userId: session.userId },
              orderBy: { createdAt: "asc" },
              select: { tenantId: true },
            });
            // Single sign-on starts it in the tenant it signed into (single-sign-on.ts).
            const chosen = (session as { activeTenantId?: string | null }).activeTenantId;
            return { data: { ...session, activeTenantId: chosen ?? membership?.tenantId ?? null } };
          },
        },
      },
    },
    hooks: {
      before: createAuthMiddleware(async (ctx) => {
        if (ctx.path === "/sign-up/email" || ctx.path === "/update-user") refuseBadName(ctx.body);
        const email = (ctx.body as { email?: unknown } | undefined)?.email;
        await throttle.admit(ctx.path, clientIpOf(ctx.headers), typeof email === "string" ? email : null);
        await refuseGuessablePassword(ctx.path, ctx.body);
      }),
      after: createAuthMiddleware(async (ctx) => {
        const email = (ctx.body as { email?: unknown } | undefined)?.email;
        if (ctx.path === "/sign-in/email" && typeof email === "string") {
          const session = ctx.context.newSession;
          if (session) {
            await throttle.signedIn(clientIpOf(ctx.headers), email);
            // With two-factor on, the plugin (whose hook runs after this one) holds the session back for the code.
            const action = (session.user as { twoFactorEnabled?: boolean }).twoFactorEnabled
              ? "auth.sign_in_awaiting_second_factor"
              : "auth.sign_in";
            await audit(action, { id: session.user.id, label: session.user.email }, "success", ctx.headers);
          } else if (isAPIError(ctx.context.returned) && ctx.context.returned.statusCode === 401) {
            await audit("auth.sign_in_failed", { id: null, label: email }, "failure", ctx.headers);
          }
        }
        const session = ctx.context.session;
        const succeeded = !isAPIError(ctx.context.returned);
        const change = auditedAccountChanges[ctx.path];
        if (change && session && succeeded) {
          await audit(change, { id: session.user.id, label: session.user.email }, "success", ctx.headers);
        }
        await refuseReusedCode(ctx);
        for (const event of twoFactorEvents(ctx)) {
          const actor = { id: event.user.id, label: event.user.email };
          await audit(event.action, actor, event.result, ctx.headers, event.metadata);
        }
        if (ctx.path === "/sign-up/email" && ctx.context.newSession) {
          const { user } = ctx.context.newSession;
          await audit("auth.sign_up", { id: user.id, label: user.email }, "success", ctx.headers);
        }
      }),
    },
    plugins: [
      twoFactor({
        issuer: "aiaas",
        // Recovery codes are kept encrypted under AUTH_SECRET; each works once.
        backupCodeOptions: { amount: 10, length: 12 },
      }),
      reauthentication(throttle, audit),
      ...plugins,
    ],
  });
}

export type Auth = ReturnType<typeof createAuth>;
