import * as oidc from "openid-client";
import { LRUCache } from "lru-cache";
import type { SsoConnection } from "@aiaas/db";
import { clientSecretContext, type SsoDependencies } from "./configure-sso.ts";
import { idpErrorReason, idpFetch } from "./idp-fetch.ts";
import type { SsoIdentity } from "./provision-sso-member.ts";
import { SsoRefusal } from "./sso-refusal.ts";
import { groupsOf } from "./role-mapping.ts";
import type { PendingReauthentication } from "./sso-reauthentication.ts";

/** What a sign-in started here must present when the IdP sends the person back (kept server-side, used once). */
export interface PendingOidcSignIn {
  connectionId: string;
  state: string;
  nonce: string;
  codeVerifier: string;
  /** Set when a signed-in person confirms who they are: the IdP must make them sign in again. */
  reauth?: PendingReauthentication;
}

/** Every IdP request through idpFetch; plain http only where private IdPs are allowed. */
function discoveryOptions(issuer: string, allowPrivateIdps: boolean): oidc.DiscoveryRequestOptions {
  const insecure = allowPrivateIdps && issuer.startsWith("http:");
  return {
    [oidc.customFetch]: (url, init) => idpFetch(allowPrivateIdps)(url, init as RequestInit),
    ...(insecure && { execute: [oidc.allowInsecureRequests] }),
  };
}

/** Discovered IdP configurations, by connection and its last change: a changed connection is discovered again. */
const configurations = new LRUCache<string, Promise<oidc.Configuration>>({ max: 1000, ttl: 10 * 60_000 });

async function configurationOf(connection: SsoConnection, deps: SsoDependencies) {
  const cacheKey = `${connection.id}:${connection.updatedAt.getTime()}`;
  let found = configurations.get(cacheKey);
  if (!found) {
    found = (async () => {
      const secret = connection.clientSecret
        ? (
            await deps.keyring.open(
              connection.tenantId,
              connection.clientSecret,
              clientSecretContext(connection.tenantId, connection.id),
            )
          ).toString()
        : undefined;
      const config = await oidc.discovery(
        new URL(connection.issuer),
        connection.clientId ?? "",
        secret,
        undefined,
        discoveryOptions(connection.issuer, deps.allowPrivateIdps),
      );
      // The ID token's signature is checked against the IdP's keys, not only trusted for arriving over TLS.
      oidc.enableNonRepudiationChecks(config);
      return config;
    })();
    // A failed discovery is not kept: the next sign-in tries again.
    found.catch(() => configurations.delete(cacheKey));
    configurations.set(cacheKey, found);
  }
  return found;
}

/** Whether the issuer's discovery document can be read (before a connection is saved), or why not. */
export async function checkOidcIssuer(issuer: string, allowPrivateIdps: boolean): Promise<string | null> {
  try {
    await oidc.discovery(new URL(issuer), "check", undefined, undefined, discoveryOptions(issuer, allowPrivateIdps));
    return null;
  } catch (error) {
    return idpErrorReason(error);
  }
}

/**
 * The IdP's sign-in page for this sign-in (authorization code flow, PKCE
 * S256, state and nonce). A re-authentication asks the IdP to sign the
 * person in afresh (`prompt=login`, `max_age=0`), whatever session it holds.
 */
export async function startOidcSignIn(
  connection: SsoConnection,
  deps: SsoDependencies,
  redirectUri: string,
  reauth?: PendingReauthentication,
) {
  const config = await configurationOf(connection, deps);
  const pending: PendingOidcSignIn = {
    connectionId: connection.id,
    state: oidc.randomState(),
    nonce: oidc.randomNonce(),
    codeVerifier: oidc.randomPKCECodeVerifier(),
    ...(reauth && { reauth }),
  };
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: connection.scopes,
    code_challenge: await oidc.calculatePKCECodeChallenge(pending.codeVerifier),
    code_challenge_method: "S256",
    state: pending.state,
    nonce: pending.nonce,
    ...(reauth && { prompt: "login", max_age: "0" }),
  });
  return { url, pending };
}

/**
 * The person the IdP sent back: the code is exchanged (with the PKCE
 * verifier) and the ID token checked: signature against the IdP's keys,
 * issuer, audience (our client id), expiry, nonce, and for a
 * re-authentication its `auth_time` (within the library's 30 s tolerance of
 * now: an IdP that did not make the person sign in again is refused).
 * Anything wrong throws.
 */
export async function finishOidcSignIn(
  connection: SsoConnection,
  deps: SsoDependencies,
  callbackUrl: URL,
  pending: PendingOidcSignIn,
): Promise<SsoIdentity> {
  const config = await configurationOf(connection, deps);
  const tokens = await oidc.authorizationCodeGrant(config, callbackUrl, {
    pkceCodeVerifier: pending.codeVerifier,
    expectedState: pending.state,
    expectedNonce: pending.nonce,
    idTokenExpected: true,
    ...(pending.reauth && { maxAge: 0 }),
  });
  const claims = tokens.claims();
  if (!claims) throw new SsoRefusal("invalid_response", "Your identity provider sent no ID token.");
  const email = claims[connection.emailClaim];
  if (typeof email !== "string" || !email.includes("@")) {
    throw new SsoRefusal(
      "no_email",
      `Your identity provider sent no email address (the ${connection.emailClaim} claim).`,
    );
  }
  if (claims.email_verified === false)
    throw new SsoRefusal("email_unverified", "Your identity provider has not verified your email.");
  const name = typeof claims.name === "string" ? claims.name : "";
  const authenticatedAt = typeof claims.auth_time === "number" ? claims.auth_time * 1000 : undefined;
  return { subject: claims.sub, email, name, groups: groupsOf(claims[connection.groupsClaim]), authenticatedAt };
}
