/**
 * CSRF defence for cookie-authenticated mutations: the browser must say the
 * request comes from our own pages (Sec-Fetch-Site), or, for browsers that do
 * not send it, the Origin must be the console's own.
 */
export function isSameOrigin(request: Request, consoleUrl: string): boolean {
  const site = request.headers.get("sec-fetch-site");
  if (site) return site === "same-origin";
  const origin = request.headers.get("origin");
  return origin !== null && origin === new URL(consoleUrl).origin;
}
