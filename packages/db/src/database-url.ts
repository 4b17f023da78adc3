import { randomBytes } from "node:crypto";

/** Postgres truncates identifiers longer than this. */
const MAX_IDENTIFIER_LENGTH = 63;

export function databaseNameOf(databaseUrl: string): string {
  const name = decodeURIComponent(new URL(databaseUrl).pathname.replace(/^\//, ""));
  if (!name) throw new Error("DATABASE_URL has no database name");
  return name;
}

export function withDatabaseName(databaseUrl: string, database: string): string {
  const url = new URL(databaseUrl);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}

/** `<db>_migration_tmp_<random>`, shortened to fit a Postgres identifier. */
export function temporaryDatabaseName(baseName: string): string {
  const suffix = `_migration_tmp_${randomBytes(4).toString("hex")}`;
  return baseName.slice(0, MAX_IDENTIFIER_LENGTH - suffix.length) + suffix;
}

export function quoteIdentifier(identifier: string): string {
  return `"${identifier.replaceAll('"', '""')}"`;
}
