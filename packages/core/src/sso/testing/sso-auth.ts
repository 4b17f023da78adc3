import { randomBytes } from "node:crypto";
import { testDatabaseUrl } from "@aiaas/db/testing";
import { createAuth } from "../../auth/create-auth.ts";
import { handleAuthRequest } from "../../auth/handle-auth-request.ts";
import { singleSignOn } from "../../auth/single-sign-on.ts";
import { parseMasterKeys } from "../../crypto/master-keys.ts";
import { TenantKeyring } from "../../crypto/tenant-keyring.ts";
import { createRedis } from "../../redis/create-redis.ts";
import { testDb, testRedisUrl } from "../../testing/index.ts";

/** The console's auth with single sign-on (IdPs on loopback allowed), under a master key of its own. */
export function ssoTestAuth(baseUrl: string) {
  const db = testDb();
  const redis = createRedis(testRedisUrl(), "producer", "sso-test");
  const keyring = new TenantKeyring(db, parseMasterKeys(`sso:${randomBytes(32).toString("base64")}`));
  const auth = createAuth({
    databaseUrl: testDatabaseUrl(),
    db,
    redis,
    baseUrl,
    secret: "s".repeat(40),
    plugins: [singleSignOn({ db, redis, keyring, baseUrl, allowPrivateIdps: true })],
    limits: { signUpsPerMinute: 100, signInsPerMinute: 100 },
  });
  return { db, redis, keyring, auth, app: (request: Request) => handleAuthRequest(auth, request) };
}
