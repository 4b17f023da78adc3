import { NextResponse, type NextRequest } from "next/server";
import { contentSecurityPolicy } from "@/server/content-security-policy.ts";
import { consoleEnv } from "@/server/env.ts";

/** Two years, the preload lists' minimum, for this host and its subdomains. */
const HSTS = "max-age=63072000; includeSubDomains";

/**
 * Every response gets a Content-Security-Policy with a fresh nonce (Next
 * reads it from the request's copy of the header and puts it on its
 * scripts), and, when the console is served over https, HSTS. The other
 * security headers are static (next.config.ts).
 */
export function proxy(request: NextRequest) {
  const env = consoleEnv();
  const https = env.CONSOLE_URL.startsWith("https:");
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
  const policy = contentSecurityPolicy(nonce, env.PUBLIC_GATEWAY_URL, https);
  const headers = new Headers(request.headers);
  headers.set("content-security-policy", policy);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("content-security-policy", policy);
  if (https) response.headers.set("strict-transport-security", HSTS);
  return response;
}

export const config = {
  // Not Next's static files (they carry no script of ours, and are cached).
  matcher: ["/((?!_next/static|_next/image).*)"],
};
