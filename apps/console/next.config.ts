import type { NextConfig } from "next";

/**
 * Sent with every page and route: the console is never framed (clickjacking),
 * content types are not guessed, and other sites learn only our origin from
 * a link. Scripts are not yet held to a policy (Next's inline scripts need
 * nonces): `frame-ancestors` and the rest are what a policy can say today.
 */
const securityHeaders = [
  {
    key: "Content-Security-Policy",
    value: "frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'",
  },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
];

const config: NextConfig = {
  // Our workspace packages ship TypeScript source.
  transpilePackages: ["@aiaas/api", "@aiaas/config", "@aiaas/core", "@aiaas/db"],
  serverExternalPackages: ["pg", "@prisma/adapter-pg", "ioredis"],
  poweredByHeader: false,
  headers: async () => [{ source: "/:path*", headers: securityHeaders }],
};

export default config;
