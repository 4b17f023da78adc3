/** The Redis `npm test` found or started. */
export function testRedisUrl(): string {
  const url = process.env.REDIS_URL;
  if (!url)
    throw new Error("REDIS_URL is not set: run integration tests with `npm test` (or npm run test:int after it)");
  return url;
}
