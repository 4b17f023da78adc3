import type { IncomingMessage } from "node:http";
import proxyAddr from "@fastify/proxy-addr";

/**
 * The header the console's server sets on every request from the connection
 * (replacing any a client sent): route handlers, better-auth and the audit
 * log read the client's address from it, never from X-Forwarded-For.
 */
export const CLIENT_IP_HEADER = "x-aiaas-client-ip";

/**
 * The client's address: the peer that connected, or, when that peer is one
 * of `trustedProxies` (TRUSTED_PROXIES), X-Forwarded-For read from the right
 * past every trusted proxy. The same rule as the gateway's (Fastify's
 * trustProxy uses this library): a header from anyone else changes nothing.
 */
export function clientAddressResolver(trustedProxies: string[]) {
  const trust = proxyAddr.compile(trustedProxies);
  return (request: IncomingMessage) => proxyAddr(request, trust);
}

/** The address the console's server found for this request (null outside it, e.g. `next dev`). */
export const clientIpOf = (headers: Headers | undefined) => headers?.get(CLIENT_IP_HEADER) ?? null;
