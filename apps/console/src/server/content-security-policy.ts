/**
 * The console's Content-Security-Policy for one response. Scripts run only
 * from our origin or with this response's nonce (Next puts it on its own
 * scripts; 'strict-dynamic' lets them load the chunks they need); the page
 * talks only to itself and to the public API (the playground); it cannot be
 * framed, its forms post only to itself, and no plugin runs. Styles keep
 * 'unsafe-inline': charts and components set style attributes, which nonces
 * cannot cover, and a style cannot run code.
 */
export function contentSecurityPolicy(nonce: string, gatewayUrl: string, https: boolean) {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src 'self' ${new URL(gatewayUrl).origin}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(https ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}
