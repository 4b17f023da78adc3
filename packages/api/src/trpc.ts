import { SpanStatusCode } from "@opentelemetry/api";
import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { ZodError } from "zod";
import { domainErrorStatus, type DomainErrorCode } from "@aiaas/core";
import { REAUTHENTICATE_AFTER_MINUTES } from "@aiaas/core/auth";
import { tenantBoundDb } from "@aiaas/db";
import { DomainError, type ChangeContext } from "@aiaas/core/platform";
import { tracer } from "@aiaas/core/telemetry";
import { roleCan, type PermissionScope } from "@aiaas/core/tenants";
import type { ApiContext } from "./context.ts";
import { unavailableIfDatabaseDown } from "./database-unavailable.ts";
import { auditOperatorView, tenantOfInput } from "./operator-audit.ts";
import { auditRefusal } from "./refusal-audit.ts";

const trpcCodeByDomainCode = {
  invalid_input: "BAD_REQUEST",
  unauthenticated: "UNAUTHORIZED",
  forbidden: "FORBIDDEN",
  not_found: "NOT_FOUND",
  conflict: "CONFLICT",
  rate_limited: "TOO_MANY_REQUESTS",
  budget_exhausted: "PAYMENT_REQUIRED",
  unavailable: "SERVICE_UNAVAILABLE",
} as const satisfies Record<DomainErrorCode, TRPCError["code"]>;

const t = initTRPC.context<ApiContext>().create({
  // Dates and BigInts survive the trip to the browser.
  transformer: superjson,
  errorFormatter: ({ shape, error }) => {
    const cause = error.cause;
    const domain = cause instanceof DomainError ? { code: cause.code, status: domainErrorStatus[cause.code] } : null;
    // Bad input reads as its schema's own sentences, not as a JSON dump of issues.
    const message = cause instanceof ZodError ? cause.issues.map((issue) => issue.message).join(" ") : shape.message;
    // How the console is to have the person prove who they are again (a password, or their IdP); false: not asked.
    const reauthenticate: ReauthenticationRequired["via"] | false =
      cause instanceof ReauthenticationRequired ? cause.via : false;
    return { ...shape, message, data: { ...shape.data, domain, reauthenticate } };
  },
});

/** The one place domain errors (and domain validation) become tRPC errors, keeping their message. */
const mapDomainErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof DomainError) {
    const cause = result.error.cause;
    throw new TRPCError({ code: trpcCodeByDomainCode[cause.code], message: cause.message, cause });
  }
  if (!result.ok && result.error.code === "INTERNAL_SERVER_ERROR") {
    const unavailable = unavailableIfDatabaseDown(result.error.cause);
    if (unavailable instanceof TRPCError) throw unavailable;
  }
  // A domain function's own validation failed: the caller's input, so a 400, never a 500.
  if (!result.ok && result.error.code === "INTERNAL_SERVER_ERROR" && result.error.cause instanceof ZodError) {
    const cause = result.error.cause;
    throw new TRPCError({ code: "BAD_REQUEST", message: cause.issues.map((issue) => issue.message).join(" "), cause });
  }
  return result;
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/** A signed-in person refused (FORBIDDEN), by any layer below or the procedure itself, is audited. */
const auditRefusals = t.middleware(async ({ ctx, path, next }) => {
  const result = await next();
  if (!result.ok && result.error.code === "FORBIDDEN" && ctx.session)
    await auditRefusal({ ...ctx, session: ctx.session }, path, result.error.message);
  return result;
});

/** A span per call (when tracing is on): procedure, type, outcome and the tenant, never the input. */
const traced = t.middleware(({ ctx, path, type, next }) =>
  tracer().startActiveSpan(
    `trpc ${path}`,
    { attributes: { "rpc.system": "trpc", "rpc.method": path } },
    async (span) => {
      try {
        const result = await next();
        if (ctx.session?.activeTenantId) span.setAttribute("aiaas.tenant.id", ctx.session.activeTenantId);
        span.setAttribute("aiaas.trpc.type", type);
        if (!result.ok) {
          span.setAttribute("error.type", result.error.code);
          span.setStatus({ code: SpanStatusCode.ERROR, message: result.error.code });
        }
        return result;
      } finally {
        span.end();
      }
    },
  ),
);

/** Layer 1: anyone. */
export const publicProcedure = t.procedure.use(traced).use(auditRefusals).use(mapDomainErrors);

/** Layer 2: a signed-in user; `ctx.change` records them as the actor. */
export const authedProcedure = publicProcedure.use(({ ctx, next }) => {
  const { session } = ctx;
  if (!session) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in to continue." });
  const change: ChangeContext = {
    actor: { type: "user", id: session.userId, label: session.email },
    ip: ctx.ip,
    userAgent: ctx.userAgent,
    requestId: ctx.requestId,
  };
  return next({ ctx: { session, change } });
});

/**
 * For what a person must first prove their address for: creating a tenant,
 * API keys (the playground's too), accepting an invitation, checkout.
 * Without it, an invitation could be taken by whoever signed up with the
 * invited address.
 */
export const verifiedEmail = t.middleware(({ ctx, next }) => {
  if (ctx.session && !ctx.session.emailVerified) {
    throw new TRPCError({
      code: "FORBIDDEN",
      message: `Confirm your email address first: open the link we sent to ${ctx.session.email} (the console sends a new one on request).`,
    });
  }
  return next();
});

/** What the console reads to ask for the password, or a new sign-in at the IdP, and try again (see `recentlyAuthenticated`). */
export class ReauthenticationRequired extends Error {
  constructor(readonly via: "password" | "sso") {
    super(`reauthenticate with ${via}`);
  }
}

/**
 * ASVS 3.7.1: for what hands out a secret (creating or rolling an API key),
 * the person must have signed in, or confirmed their password
 * (`POST /api/auth/reauthenticate`) or signed in again at their IdP
 * (`POST /api/auth/sso/reauthenticate`, for sessions single sign-on made),
 * within REAUTHENTICATE_AFTER_MINUTES: a session left open on a shared
 * machine cannot mint keys.
 */
export const recentlyAuthenticated = t.middleware(({ ctx, next }) => {
  const since = ctx.session ? Date.now() - ctx.session.authenticatedAt.getTime() : 0;
  if (since > REAUTHENTICATE_AFTER_MINUTES * 60_000) {
    const sso = Boolean(ctx.session?.ssoTenantId);
    const how = sso ? "Sign in again at your identity provider" : "Confirm your password";
    throw new TRPCError({
      code: "FORBIDDEN",
      message: `${how} to continue: you signed in more than ${REAUTHENTICATE_AFTER_MINUTES} minutes ago.`,
      cause: new ReauthenticationRequired(sso ? "sso" : "password"),
    });
  }
  return next();
});

/**
 * Layer 3: a member of the session's active tenant. The tenant always comes
 * from the session, never from input, and membership is checked here. From
 * here on `ctx.db` is bound to that tenant (`tenantBoundDb`): every query
 * runs under row-level security as the tenant role, so one that forgets its
 * `tenantId` filter still sees that tenant's rows alone.
 */
export const tenantProcedure = authedProcedure.use(async ({ ctx, type, next }) => {
  const tenantId = ctx.session.activeTenantId;
  if (!tenantId)
    throw new TRPCError({ code: "PRECONDITION_FAILED", message: "Create or choose an organisation first." });
  const db = tenantBoundDb(ctx.db, tenantId);
  const membership = await db.membership.findUnique({
    where: { tenantId_userId: { tenantId, userId: ctx.session.userId } },
    include: { tenant: { select: { id: true, slug: true, name: true, status: true, requireMfa: true } } },
  });
  if (!membership) throw new TRPCError({ code: "FORBIDDEN", message: "You are not a member of this organisation." });
  // Signed in by this tenant's own IdP: its second factor is the IdP's to require (docs/sso.md).
  const viaOwnIdp = ctx.session.ssoTenantId === tenantId;
  if (membership.tenant.requireMfa && !ctx.session.twoFactorEnabled && !viaOwnIdp) {
    throw new TRPCError({
      code: "FORBIDDEN",
      message: "This organisation requires two-factor sign-in: set it up on your account page first.",
    });
  }
  // A suspended organisation is read-only: its members see everything and change nothing.
  if (membership.tenant.status === "suspended" && type === "mutation") {
    throw new TRPCError({
      code: "FORBIDDEN",
      message: "This organisation is suspended: it is read-only until an operator resumes it.",
    });
  }
  return next({ ctx: { db, tenant: membership.tenant, role: membership.role } });
});

/** Layer 4: a member whose role holds `scope` (see rolePermissions). */
export const scopedProcedure = (scope: PermissionScope) =>
  tenantProcedure.use(({ ctx, next }) => {
    if (!roleCan(ctx.role, scope)) {
      throw new TRPCError({ code: "FORBIDDEN", message: `Your role (${ctx.role}) does not allow ${scope}.` });
    }
    return next();
  });

/**
 * Layer 5: platform operators only. `ctx.db` is the operator role's client
 * (every tenant's rows); what an operator changes is audited by the change,
 * what they read by `auditOperatorView` before the answer leaves.
 */
export const operatorProcedure = authedProcedure.use(async ({ ctx, type, path, getRawInput, next }) => {
  if (ctx.session.platformRole !== "operator") throw new TRPCError({ code: "FORBIDDEN", message: "Operators only." });
  if (!ctx.session.twoFactorEnabled) {
    throw new TRPCError({
      code: "FORBIDDEN",
      message: "Operators must use two-factor sign-in: set it up at /two-factor first.",
    });
  }
  const change = {
    ...ctx.change,
    actor: { type: "operator" as const, id: ctx.session.userId, label: ctx.session.email },
  };
  const result = await next({ ctx: { db: ctx.operatorDb, change } });
  if (result.ok && type === "query") await auditOperatorView(ctx, change, path, tenantOfInput(await getRawInput()));
  return result;
});
