export { testDatabaseUrl, testOwnerDatabaseUrl } from "./test-database-url.ts";
export { withTemporaryDatabase } from "./temporary-database.ts";
export { startPostgresOutage } from "./postgres-outage.ts";
