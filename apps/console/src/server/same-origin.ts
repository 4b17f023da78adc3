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

/** The 403 for a cookie-authenticated mutation from another site; undefined when it comes from our own pages. */
export function crossSiteRefusal(request: Request, consoleUrl: string): Response | undefined {
  if (isSameOrigin(request, consoleUrl)) return undefined;
  return Response.json({ error: { message: "Cross-site request refused." } }, { status: 403 });
}
