import "server-only";
import { nextCookies } from "better-auth/next-js";
import type { Redis } from "ioredis";
import { createPrismaClient, type Db } from "@aiaas/db";
import { createAuth, type Auth } from "@aiaas/core/auth";
import { parseMasterKeys, TenantKeyring } from "@aiaas/core/crypto";
import { createRedis } from "@aiaas/core/platform";
import { createStripe, type StripeClient } from "@aiaas/core/stripe";
import { consoleEnv } from "./env.ts";

interface Services {
  db: Db;
  redis: Redis;
  auth: Auth;
  /** Opens stored prompts (for `prompts:read`); the console never seals anything. */
  keyring: TenantKeyring;
  /** null in ledger-only mode. */
  stripe: StripeClient | null;
}

const globalForServices = globalThis as unknown as { aiaasServices?: Services };

/** The console's connections and auth, one set per server process. */
export function services(): Services {
  if (!globalForServices.aiaasServices) {
    const env = consoleEnv();
    const db = createPrismaClient({ databaseUrl: env.DATABASE_URL, maxConnections: 5 });
    const redis = createRedis(env.REDIS_URL, "client", "console");
    redis.on("error", () => {}); // each command reports its own failure
    void redis.connect().catch(() => {});
    const auth = createAuth({
      databaseUrl: env.DATABASE_URL,
      db,
      redis,
      baseUrl: env.CONSOLE_URL,
      secret: env.AUTH_SECRET,
      plugins: [nextCookies()],
      limits: { signUpsPerMinute: env.AUTH_SIGNUPS_PER_MINUTE, signInsPerMinute: env.AUTH_SIGNINS_PER_MINUTE },
    });
    const keyring = new TenantKeyring(db, parseMasterKeys(env.MASTER_KEYS));
    const stripe = createStripe({ secretKey: env.STRIPE_SECRET_KEY, apiBase: env.STRIPE_API_BASE });
    globalForServices.aiaasServices = { db, redis, auth, keyring, stripe };
  }
  return globalForServices.aiaasServices;
}

export const db = () => services().db;
