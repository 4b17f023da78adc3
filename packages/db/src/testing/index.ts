export { testDatabaseUrl } from "./test-database-url.ts";
export { withTemporaryDatabase } from "./temporary-database.ts";
