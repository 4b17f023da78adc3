import { ApiKeyVerifier } from "../keys/api-key-verifier.ts";
import { createRedis } from "../redis/create-redis.ts";
import { testDb, testPepper } from "./fixtures.ts";
import { testRedisUrl } from "./test-redis-url.ts";

/** A verifier as a gateway runs it (own Redis connections, subscribed to invalidations). */
export async function startTestVerifier(name: string) {
  const redis = createRedis(testRedisUrl(), "producer", name);
  const subscriber = createRedis(testRedisUrl(), "consumer", `${name}-sub`);
  await Promise.all([redis.connect(), subscriber.connect()]);
  const verifier = new ApiKeyVerifier({ db: testDb(), redis, subscriber, pepper: testPepper });
  await verifier.start();
  return {
    verifier,
    redis,
    close: () => {
      redis.disconnect();
      subscriber.disconnect();
    },
  };
}
