import { lookup } from "node:dns/promises";
import ipaddr from "ipaddr.js";
import { DomainError } from "../errors.ts";

/** How long an IdP has to answer a discovery, metadata, key or token request. */
const IDP_TIMEOUT_MS = 10_000;

/**
 * An identity provider's address, as a tenant owner gives it: https, on a
 * public address. The server fetches it (discovery, keys, tokens, SAML
 * metadata), so an address inside our network would let a tenant reach our
 * own services (SSRF). `allowPrivate` (SSO_ALLOW_PRIVATE_IDPS, for local IdPs
 * in development and tests) lifts both rules.
 */
export async function assertPublicIdpUrl(raw: string | URL, allowPrivate: boolean): Promise<URL> {
  const url = new URL(raw);
  if (allowPrivate) return url;
  if (url.protocol !== "https:") throw new DomainError("invalid_input", `${url.origin} is not https.`);
  const addresses = await lookup(url.hostname, { all: true }).catch(() => {
    throw new DomainError("invalid_input", `${url.hostname} does not resolve.`);
  });
  for (const { address } of addresses) {
    if (ipaddr.process(address).range() !== "unicast") {
      throw new DomainError("invalid_input", `${url.hostname} is not a public address.`);
    }
  }
  return url;
}

/** fetch for IdP requests: every address checked first, redirects not followed, a time limit. */
export function idpFetch(allowPrivate: boolean) {
  return async (url: string | URL, init: RequestInit = {}): Promise<Response> => {
    await assertPublicIdpUrl(url, allowPrivate);
    return fetch(url, { ...init, redirect: "manual", signal: AbortSignal.timeout(IDP_TIMEOUT_MS) });
  };
}

/** What went wrong with an IdP, with its cause (openid-client wraps the JWT library's and fetch's errors). */
export function idpErrorReason(error: unknown): string {
  const { message, cause } = error as Error;
  return cause instanceof Error ? `${message}: ${cause.message}` : message;
}
