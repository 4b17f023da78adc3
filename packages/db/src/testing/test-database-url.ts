/**
 * The test database that `npm test` prepared (migrated and seeded), as the
 * apps connect to it: the application's login, bound by row-level security.
 * Tests read it here rather than from scattered `process.env` lookups.
 */
export function testDatabaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url)
    throw new Error("DATABASE_URL is not set: run integration tests with `npm test` (or npm run test:int after it)");
  return url;
}

/**
 * The same database as its owner (who ran the migrations): for tests that
 * create databases, or play an attacker with the owner's powers (bypassing
 * the audit log's trigger). Where no separate owner is configured, DATABASE_URL's.
 */
export function testOwnerDatabaseUrl(): string {
  return process.env.DATABASE_OWNER_URL ?? testDatabaseUrl();
}
