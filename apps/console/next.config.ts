import type { NextConfig } from "next";

/**
 * Sent with every page and route: the console is never framed (clickjacking),
 * content types are not guessed, and other sites learn only our origin from
 * a link. The Content-Security-Policy (with a nonce per response) and HSTS
 * are set at run time, by src/proxy.ts.
 */
const securityHeaders = [
  { key: "X-Frame-Options", value: "DENY" },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
];

const config: NextConfig = {
  // Our workspace packages ship TypeScript source.
  transpilePackages: ["@aiaas/api", "@aiaas/config", "@aiaas/core", "@aiaas/db"],
  serverExternalPackages: [
    "pg",
    "@prisma/adapter-pg",
    "ioredis",
    "@opentelemetry/sdk-trace-node",
    "@opentelemetry/exporter-trace-otlp-http",
  ],
  poweredByHeader: false,
  headers: async () => [{ source: "/:path*", headers: securityHeaders }],
};

export default config;
