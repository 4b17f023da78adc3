// What the benchmarks share: the machine line, and a temporary database on
// the servers of `npm start` (.data/local.env), migrated, dropped afterwards.
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { cpus } from "node:os";
import { fileURLToPath } from "node:url";
import { parseEnv } from "node:util";
import pg from "pg";
import { applyPendingMigrations } from "@aiaas/db/migrate";

export const at = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));

export const machine = () => `${cpus()[0]?.model ?? "cpu"} × ${cpus().length}, Node ${process.version}`;

export const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
};

/** Adds one sample to the list kept under `key`. */
export const appendTo = <K, V>(samples: Map<K, V[]>, key: K, value: V) => {
  samples.set(key, [...(samples.get(key) ?? []), value]);
};

export interface BenchStack {
  databaseUrl: string;
  redisUrl: string;
}

/** The servers of `npm start`, else those `npm test` last used. */
export function localServers() {
  const envFile = [".data/local.env", ".data/test.env"].find((file) => existsSync(at(file)));
  const local = envFile ? parseEnv(readFileSync(at(envFile), "utf8")) : {};
  // The owner creates databases and migrates them (the apps' own login may do neither).
  const serverUrl = local.DATABASE_OWNER_URL ?? local.DATABASE_URL;
  const redisUrl = local.REDIS_URL;
  if (!serverUrl || !redisUrl) throw new Error("run `npm start` (or `npm test`) once first: it writes .data/local.env");
  return { serverUrl, redisUrl };
}

export async function withBenchDatabase<T>(use: (stack: BenchStack) => Promise<T>): Promise<T> {
  const { serverUrl, redisUrl } = localServers();
  const database = `aiaas_bench_${randomBytes(4).toString("hex")}`;
  const withDatabase = (name: string) => Object.assign(new URL(serverUrl), { pathname: `/${name}` }).toString();
  const admin = new pg.Client({ connectionString: withDatabase("postgres") });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${database}"`);
  try {
    const databaseUrl = withDatabase(database);
    await applyPendingMigrations({
      databaseUrl,
      schemaPath: at("prisma/schema.prisma"),
      migrationsDir: at("prisma/migrations"),
    });
    return await use({ databaseUrl, redisUrl });
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    await admin.end();
  }
}
