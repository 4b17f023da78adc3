import type { NextConfig } from "next";

const config: NextConfig = {
  // Our workspace packages ship TypeScript source.
  transpilePackages: ["@aiaas/api", "@aiaas/config", "@aiaas/core", "@aiaas/db"],
  serverExternalPackages: ["pg", "@prisma/adapter-pg", "ioredis"],
  poweredByHeader: false,
};

export default config;
