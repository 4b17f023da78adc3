import type { BetterAuthPlugin } from "better-auth";
import { APIError, createAuthEndpoint, createAuthMiddleware, sessionMiddleware } from "better-auth/api";
import { setSessionCookie } from "better-auth/cookies";
import { z } from "zod";
import type { Redis } from "ioredis";
import type { Db, SsoConnection } from "@aiaas/db";
import { invalidateAuthCache } from "../keys/auth-cache.ts";
import { appendAuditEvent } from "../audit/append-audit-event.ts";
import { clientIpOf } from "../net/client-address.ts";
import type { SsoDependencies } from "../sso/configure-sso.ts";
import { finishOidcSignIn, startOidcSignIn, type PendingOidcSignIn } from "../sso/oidc-sign-in.ts";
import { idpErrorReason } from "../sso/idp-fetch.ts";
import { PENDING_SIGN_IN_MINUTES, savePendingSignIn, takePendingSignIn } from "../sso/pending-sign-ins.ts";
import { finishSamlSignIn, samlMetadata, startSamlSignIn } from "../sso/saml-sign-in.ts";
import { provisionSsoMember, type SsoIdentity } from "../sso/provision-sso-member.ts";
import { SsoRefusal } from "../sso/sso-refusal.ts";
import { domainOfEmail, ssoConnectionForEmail } from "../sso/sso-domains.ts";
import { confirmReauthentication, consolePath, type PendingReauthentication } from "../sso/sso-reauthentication.ts";

export interface SingleSignOnOptions extends SsoDependencies {
  /** The platform role's client: connections and domains are looked up across tenants. */
  db: Db;
  /** Where gateways hear of revoked keys (a membership ended at sign-in revokes its playground keys). */
  redis: Redis;
  /** Where the console is served. */
  baseUrl: string;
}

/** Where an IdP sends people back: one address for every OIDC connection (the state says which). */
export const oidcRedirectUri = (baseUrl: string) => `${baseUrl}/api/auth/sso/oidc/callback`;

type EndpointContext = Parameters<typeof setSessionCookie>[0];

/** Holds the OIDC state of the sign-in this browser started. */
const STATE_COOKIE = "sso_state";
/** Holds the SAML request this browser started (https only: it must be SameSite=None to come back with the post). */
const SAML_REQUEST_COOKIE = "sso_saml_request";
const samlCookieOptions = { maxAge: PENDING_SIGN_IN_MINUTES * 60, sameSite: "none", secure: true } as const;

/**
 * Single sign-on through each tenant's own identity provider (docs/security.md):
 * `POST /sso/start {email}` finds the tenant that verified the email's domain
 * and answers the IdP's sign-in URL; the IdP sends the person back to the
 * callback, where their identity is checked, their membership made or
 * updated from their groups (just in time), and a session started in that
 * tenant. A tenant that enforces SSO has its people's passwords refused.
 * `POST /sso/reauthenticate {returnTo}` has a signed-in person prove who they
 * are again at their IdP (made to sign in afresh) instead of confirming a
 * password: the session is stamped and they go back to `returnTo`.
 */
export function singleSignOn(options: SingleSignOnOptions): BetterAuthPlugin {
  const { db, baseUrl } = options;
  const https = baseUrl.startsWith("https://");
  const signInPage = (code: string) => `${baseUrl}/sign-in?sso_error=${code}`;
  /** A connection by id, if it speaks `protocol` (a callback of the other protocol finds nothing). */
  const connectionOf = async (id: string, protocol: SsoConnection["protocol"]) => {
    const connection = await db.ssoConnection.findUnique({ where: { id } });
    return connection?.protocol === protocol ? connection : null;
  };

  const audit = async (
    connection: SsoConnection,
    actor: { id: string | null; label: string },
    result: "success" | "failure",
    headers: Headers | undefined,
    metadata: Record<string, unknown>,
    action = "auth.sso_sign_in",
  ) =>
    db.$transaction((tx) =>
      appendAuditEvent(
        {
          tenantId: connection.tenantId,
          action,
          result,
          targetType: "user",
          ...(actor.id && { targetId: actor.id }),
          metadata: { protocol: connection.protocol, ...metadata },
        },
        {
          actor: { type: "user", ...actor },
          ip: clientIpOf(headers),
          userAgent: headers?.get("user-agent") ?? null,
        },
        tx,
      ),
    );

  /**
   * The IdP's sign-in page for a sign-in (or a re-authentication) started
   * here, the pending sign-in kept and bound to this browser by a cookie.
   */
  const startAtIdp = async (ctx: EndpointContext, connection: SsoConnection, reauth?: PendingReauthentication) => {
    if (connection.protocol === "saml") {
      const { url, requestId } = await startSamlSignIn(connection, db, baseUrl, reauth);
      // The IdP posts back cross-site: only a SameSite=None cookie (https) travels with it.
      if (https) {
        const cookie = ctx.context.createAuthCookie(SAML_REQUEST_COOKIE, samlCookieOptions);
        ctx.setCookie(cookie.name, requestId, { ...cookie.attributes, ...samlCookieOptions });
      }
      return url.toString();
    }
    const { url, pending } = await startOidcSignIn(connection, options, oidcRedirectUri(baseUrl), reauth);
    await savePendingSignIn(db, `oidc:${pending.state}`, pending);
    // The state is bound to this browser: a callback link made by someone else (login CSRF) is refused.
    const cookie = ctx.context.createAuthCookie(STATE_COOKIE, { maxAge: PENDING_SIGN_IN_MINUTES * 60 });
    ctx.setCookie(cookie.name, pending.state, cookie.attributes);
    return url.toString();
  };

  /** A session in the tenant for the person the IdP vouched for, its cookie set. */
  const startSession = async (ctx: EndpointContext, userId: string, tenantId: string) => {
    let session;
    try {
      session = await ctx.context.internalAdapter.createSession(userId, false, {
        activeTenantId: tenantId,
        ssoTenantId: tenantId,
      });
    } catch (error) {
      // A suspended person (the session hook refuses them) gets no session, whoever vouches for them.
      if (error instanceof APIError && error.statusCode === 403) {
        throw new SsoRefusal("suspended", "This account is suspended.");
      }
      throw error;
    }
    const user = await ctx.context.internalAdapter.findUserById(userId);
    if (!user) throw new SsoRefusal("invalid_response", "The account is gone.");
    await setSessionCookie(ctx, { session, user });
  };

  /**
   * Lets the person the IdP vouched for in (a new session), or, for a
   * re-authentication, stamps the session that asked and sends them back to
   * where they were; otherwise back to the sign-in page saying why not.
   */
  const signIn = async (
    ctx: EndpointContext,
    connection: SsoConnection,
    identify: () => Promise<{ identity: SsoIdentity; reauth?: PendingReauthentication | undefined }>,
    /** Known to be a re-authentication before the IdP's answer is read (OIDC's pending state says so). */
    reauthenticating = false,
  ) => {
    let identity: SsoIdentity | undefined;
    let action = reauthenticating ? "auth.reauthenticate" : "auth.sso_sign_in";
    let returnTo = "/";
    try {
      const vouched = await identify();
      identity = vouched.identity;
      if (vouched.reauth) action = "auth.reauthenticate";
      const provisioned = await provisionSsoMember(db, connection, identity);
      if (provisioned.refused) {
        for (const keyHash of provisioned.revokedKeyHashes) {
          await invalidateAuthCache(options.redis, { keyHash, revoked: true });
        }
        throw new SsoRefusal("role_removed", "Your groups no longer give you a role in this organisation.");
      }
      const actor = { id: provisioned.userId, label: provisioned.email };
      if (vouched.reauth) {
        await confirmReauthentication(db, vouched.reauth, { ...identity, userId: provisioned.userId });
        await audit(connection, actor, "success", ctx.headers, { via: connection.protocol }, action);
        returnTo = consolePath(vouched.reauth.returnTo);
      } else {
        await startSession(ctx, provisioned.userId, provisioned.tenantId);
        await audit(connection, actor, "success", ctx.headers, { role: provisioned.role });
      }
    } catch (error) {
      const refusal = error instanceof SsoRefusal ? error : new SsoRefusal("invalid_response", idpErrorReason(error));
      const actor = { id: null, label: identity?.email ?? `sso:${connection.issuer}` };
      const metadata = { reason: refusal.code, detail: refusal.message };
      await audit(connection, actor, "failure", ctx.headers, metadata, action);
      ctx.context.logger.warn(`SSO sign-in refused (${connection.tenantId}): ${refusal.message}`);
      throw ctx.redirect(signInPage(refusal.code));
    }
    throw ctx.redirect(`${baseUrl}${returnTo}`);
  };

  return {
    id: "single-sign-on",
    endpoints: {
      ssoStart: createAuthEndpoint(
        "/sso/start",
        { method: "POST", body: z.object({ email: z.string().trim().min(3).max(320) }) },
        async (ctx) => {
          const connection = await ssoConnectionForEmail(db, ctx.body.email);
          if (!connection) {
            throw new APIError("NOT_FOUND", {
              code: "SSO_NOT_CONFIGURED",
              message: `${domainOfEmail(ctx.body.email) ?? "That address"} does not sign in with single sign-on here.`,
            });
          }
          return ctx.json({ url: await startAtIdp(ctx, connection) });
        },
      ),
      ssoReauthenticate: createAuthEndpoint(
        "/sso/reauthenticate",
        {
          method: "POST",
          body: z.object({ returnTo: z.string().max(500).default("/") }),
          use: [sessionMiddleware],
        },
        async (ctx) => {
          const { session, user } = ctx.context.session;
          const ssoTenantId = (session as { ssoTenantId?: string | null }).ssoTenantId;
          const connection = ssoTenantId
            ? await db.ssoConnection.findUnique({ where: { tenantId: ssoTenantId } })
            : await ssoConnectionForEmail(db, user.email);
          if (!connection) {
            throw new APIError("BAD_REQUEST", {
              code: "SSO_NOT_CONFIGURED",
              message: "You do not sign in with single sign-on here: confirm your password instead.",
            });
          }
          const reauth = {
            sessionId: session.id,
            userId: user.id,
            returnTo: consolePath(ctx.body.returnTo),
            startedAt: Date.now(),
          };
          return ctx.json({ url: await startAtIdp(ctx, connection, reauth) });
        },
      ),
      ssoOidcCallback: createAuthEndpoint(
        "/sso/oidc/callback",
        { method: "GET", query: z.record(z.string(), z.string()) },
        async (ctx) => {
          const cookie = ctx.context.createAuthCookie(STATE_COOKIE);
          const state = ctx.query.state;
          const sameBrowser = Boolean(state) && ctx.getCookie(cookie.name) === state;
          ctx.setCookie(cookie.name, "", { ...cookie.attributes, maxAge: 0 });
          const pending = state && sameBrowser ? await takePendingSignIn<PendingOidcSignIn>(db, `oidc:${state}`) : null;
          // Unknown, expired or used before (a replayed callback): nothing to finish.
          if (!pending) throw ctx.redirect(signInPage("expired"));
          const connection = await connectionOf(pending.connectionId, "oidc");
          if (!connection) throw ctx.redirect(signInPage("expired"));
          const callbackUrl = new URL(oidcRedirectUri(baseUrl));
          for (const [name, value] of Object.entries(ctx.query)) callbackUrl.searchParams.set(name, value);
          const identify = async () => ({
            identity: await finishOidcSignIn(connection, options, callbackUrl, pending),
            reauth: pending.reauth,
          });
          return signIn(ctx, connection, identify, Boolean(pending.reauth));
        },
      ),
      ssoSamlAcs: createAuthEndpoint(
        "/sso/saml/acs/:connectionId",
        {
          method: "POST",
          body: z.object({ SAMLResponse: z.string().min(1).max(1_000_000), RelayState: z.string().optional() }),
          metadata: { allowedMediaTypes: ["application/x-www-form-urlencoded"] },
        },
        async (ctx) => {
          const connection = await connectionOf(ctx.params.connectionId, "saml");
          if (!connection) throw ctx.redirect(signInPage("expired"));
          const cookie = ctx.context.createAuthCookie(SAML_REQUEST_COOKIE, samlCookieOptions);
          const browserRequestId = https ? (ctx.getCookie(cookie.name) ?? null) : undefined;
          if (https) ctx.setCookie(cookie.name, "", { ...cookie.attributes, ...samlCookieOptions, maxAge: 0 });
          return signIn(ctx, connection, () =>
            finishSamlSignIn(connection, db, baseUrl, ctx.body.SAMLResponse, browserRequestId),
          );
        },
      ),
      ssoSamlMetadata: createAuthEndpoint("/sso/saml/metadata/:connectionId", { method: "GET" }, async (ctx) => {
        const connection = await connectionOf(ctx.params.connectionId, "saml");
        if (!connection) {
          throw new APIError("NOT_FOUND", { message: "No such SAML connection." });
        }
        return new Response(samlMetadata(connection, db, baseUrl), { headers: { "content-type": "application/xml" } });
      }),
    },
    // The IdP posts SAML responses from its own site: their signature and single-use request id prove them.
    init: () => ({ context: { skipOriginCheck: ["/sso/saml/acs"] as unknown as boolean } }),
    hooks: {
      before: [
        {
          matcher: (ctx) => ctx.path === "/sign-in/email" || ctx.path === "/sign-up/email",
          handler: createAuthMiddleware(async (ctx) => {
            const email = (ctx.body as { email?: unknown } | undefined)?.email;
            if (typeof email !== "string") return;
            if (await passwordRefused(db, email)) {
              throw new APIError("FORBIDDEN", {
                code: "SSO_REQUIRED",
                message: "Your organisation signs in with single sign-on: use it with your work email.",
              });
            }
          }),
        },
      ],
    },
  };
}

/**
 * Whether a password may not be used for this address: its domain belongs to
 * a tenant that enforces SSO, or its person is a member of one. Operators
 * always may (they are not any tenant's people).
 */
export async function passwordRefused(db: Db, email: string): Promise<boolean> {
  const user = await db.user.findUnique({
    where: { email: email.trim().toLowerCase() },
    select: {
      role: true,
      memberships: { where: { tenant: { ssoConnection: { enforced: true } } }, select: { id: true } },
    },
  });
  if (user?.role === "operator") return false;
  if (user && user.memberships.length > 0) return true;
  return Boolean((await ssoConnectionForEmail(db, email))?.enforced);
}
