/**
 * The test database that `npm test` prepared (migrated and seeded). Tests
 * read it here rather than from scattered `process.env` lookups.
 */
export function testDatabaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url)
    throw new Error("DATABASE_URL is not set: run integration tests with `npm test` (or npm run test:int after it)");
  return url;
}
