import { lookup as systemLookup, type LookupAddress, type LookupOptions } from "node:dns";
import { lookup } from "node:dns/promises";
import ipaddr from "ipaddr.js";
import { Agent, fetch as undiciFetch } from "undici";
import { DomainError } from "../errors.ts";

/** How long an IdP has to answer a discovery, metadata, key or token request. */
const IDP_TIMEOUT_MS = 10_000;

const isPublic = (address: string) => ipaddr.process(address).range() === "unicast";

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
  // An IPv6 literal comes bracketed ([::1]); DNS takes it bare.
  const addresses = await lookup(url.hostname.replace(/^\[|\]$/g, ""), { all: true }).catch(() => {
    throw new DomainError("invalid_input", `${url.hostname} does not resolve.`);
  });
  if (!addresses.every(({ address }) => isPublic(address))) {
    throw new DomainError("invalid_input", `${url.hostname} is not a public address.`);
  }
  return url;
}

type Resolve = (hostname: string) => Promise<LookupAddress[]>;
type LookupCallback = (error: Error | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for sockets that refuses a host resolving to anything but
 * public addresses, at connection time: a name that answered a public
 * address to the check above and a private one now (DNS rebinding) is
 * refused too.
 */
export function publicOnlyLookup(resolve: Resolve) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback) => {
    resolve(hostname).then(
      (addresses) => {
        const refused = addresses.find(({ address }) => !isPublic(address));
        const first = addresses[0];
        if (refused || !first) {
          callback(new Error(`${hostname} resolves to ${refused?.address ?? "nothing"}, not a public address`), []);
        } else if (options.all) {
          callback(null, addresses);
        } else {
          callback(null, first.address, first.family);
        }
      },
      (error: Error) => callback(error, []),
    );
  };
}

const systemResolve: Resolve = (hostname) =>
  new Promise((resolve, reject) =>
    systemLookup(hostname, { all: true }, (error, addresses) => (error ? reject(error) : resolve(addresses))),
  );

/** Connections to IdPs, each to a public address only. */
const publicOnly = new Agent({ connect: { lookup: publicOnlyLookup(systemResolve) } });

/** fetch for IdP requests: every address checked, before and at connection, redirects not followed, a time limit. */
export function idpFetch(allowPrivate: boolean) {
  return async (url: string | URL, init: RequestInit = {}): Promise<Response> => {
    await assertPublicIdpUrl(url, allowPrivate);
    const options = { ...init, redirect: "manual", signal: AbortSignal.timeout(IDP_TIMEOUT_MS) } as const;
    if (allowPrivate) return fetch(url, options);
    return (await undiciFetch(url, {
      ...(options as Parameters<typeof undiciFetch>[1]),
      dispatcher: publicOnly,
    })) as unknown as Response;
  };
}

/** What went wrong with an IdP, with its cause (openid-client wraps the JWT library's and fetch's errors). */
export function idpErrorReason(error: unknown): string {
  const { message, cause } = error as Error;
  return cause instanceof Error ? `${message}: ${cause.message}` : message;
}
