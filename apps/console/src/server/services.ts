import "server-only";
import { nextCookies } from "better-auth/next-js";
import type { Redis } from "ioredis";
import { createPrismaClient, type Db } from "@aiaas/db";
import { createAuth, singleSignOn, type Auth } from "@aiaas/core/auth";
import { parseMasterKeys, TenantKeyring } from "@aiaas/core/crypto";
import { createRedis } from "@aiaas/core/platform";
import { createStripe, type StripeClient } from "@aiaas/core/stripe";
import { consoleEnv } from "./env.ts";

interface Services {
  /** The application role: sessions and accounts; a tenant's rows only in its transaction (tenantProcedure). */
  db: Db;
  /** The platform role: a person's own organisations and invitations, sign-up and sign-in mail and audit. */
  platformDb: Db;
  /** The operator role: the operator area. */
  operatorDb: Db;
  redis: Redis;
  auth: Auth;
  /** Opens stored prompts (for `prompts:read`) and SSO client secrets; seals only those secrets. */
  keyring: TenantKeyring;
  /** null in ledger-only mode. */
  stripe: StripeClient | null;
}

const globalForServices = globalThis as unknown as { aiaasServices?: Services };

/** The console's connections and auth, one set per server process. */
export function services(): Services {
  if (!globalForServices.aiaasServices) {
    const env = consoleEnv();
    const db = createPrismaClient({ databaseUrl: env.DATABASE_URL, maxConnections: 4 });
    const platformDb = createPrismaClient({ databaseUrl: env.DATABASE_URL, maxConnections: 3, role: "platform" });
    const operatorDb = createPrismaClient({ databaseUrl: env.DATABASE_URL, maxConnections: 2, role: "operator" });
    const redis = createRedis(env.REDIS_URL, "client", "console");
    redis.on("error", () => {}); // each command reports its own failure
    void redis.connect().catch(() => {});
    const keyring = new TenantKeyring(platformDb, parseMasterKeys(env.MASTER_KEYS));
    const auth = createAuth({
      databaseUrl: env.DATABASE_URL,
      db: platformDb,
      redis,
      baseUrl: env.CONSOLE_URL,
      secret: env.AUTH_SECRET,
      plugins: [
        singleSignOn({
          db: platformDb,
          redis,
          baseUrl: env.CONSOLE_URL,
          keyring,
          allowPrivateIdps: env.SSO_ALLOW_PRIVATE_IDPS,
        }),
        nextCookies(),
      ],
      limits: { signUpsPerMinute: env.AUTH_SIGNUPS_PER_MINUTE, signInsPerMinute: env.AUTH_SIGNINS_PER_MINUTE },
    });
    const stripe = createStripe({ secretKey: env.STRIPE_SECRET_KEY, apiBase: env.STRIPE_API_BASE });
    globalForServices.aiaasServices = { db, platformDb, operatorDb, redis, auth, keyring, stripe };
  }
  return globalForServices.aiaasServices;
}

export const db = () => services().db;
