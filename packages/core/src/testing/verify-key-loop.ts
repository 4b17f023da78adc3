// A second process for the cross-process revocation test: verifies a key,
// prints "ok", then keeps verifying every 2 ms and prints
// "denied <reason> <epoch ms>" as soon as the key is refused.
import { createPrismaClient } from "@aiaas/db";
import { createRedis } from "../redis/create-redis.ts";
import { ApiKeyVerifier } from "../keys/api-key-verifier.ts";

const [databaseUrl, redisUrl, pepper, secret] = process.argv.slice(2) as [string, string, string, string];
// As a gateway's verifier: the platform role (key lookups by hash span tenants).
const db = createPrismaClient({ databaseUrl, maxConnections: 1, role: "platform" });
const redis = createRedis(redisUrl, "producer", "verify-loop");
const subscriber = createRedis(redisUrl, "consumer", "verify-loop-sub");
await Promise.all([redis.connect(), subscriber.connect()]);
const verifier = new ApiKeyVerifier({ db, redis, subscriber, pepper });
await verifier.start();

let reported = false;
for (;;) {
  const result = await verifier.verify(secret);
  if (result.ok && !reported) {
    reported = true;
    process.stdout.write("ok\n");
  }
  if (!result.ok) {
    process.stdout.write(`denied ${result.reason} ${Date.now()}\n`);
    break;
  }
  await new Promise((resolve) => setTimeout(resolve, 2));
}
redis.disconnect();
subscriber.disconnect();
await db.$disconnect();
