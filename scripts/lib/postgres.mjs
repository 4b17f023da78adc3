// Finds a Postgres: DATABASE_URL, else one on 127.0.0.1:5432, else an
// embedded one from npm with its data under .data/postgres.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { at, dataDir } from "./paths.mjs";
import { fail, ok, step, StartError } from "./log.mjs";
import { isListening } from "./net.mjs";
import { spawnDetached } from "./detached.mjs";

const EMBEDDED_PORT = 54329;

function describe(url) {
  return `${url.hostname}:${url.port || 5432}`;
}

function withDatabase(urlText, database) {
  const url = new URL(urlText);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Starts the embedded Postgres in a detached process of its own; see embedded-postgres-server.mjs. */
async function startEmbedded() {
  const databaseDir = join(dataDir, "postgres");
  mkdirSync(dataDir, { recursive: true });
  const server = spawnDetached(process.execPath, [
    at("scripts/lib/embedded-postgres-server.mjs"),
    databaseDir,
    String(EMBEDDED_PORT),
  ]);
  let errors = "";
  server.child.stderr.on("data", (chunk) => (errors += chunk));
  await new Promise((resolve, reject) => {
    createInterface({ input: server.child.stdout }).on("line", (line) => {
      if (line === "initialising") step("initialising an embedded Postgres in .data/postgres…");
      if (line === "ready") resolve();
    });
    server.child.once("exit", () =>
      reject(
        new StartError(`the embedded Postgres did not start: ${errors.trim().split("\n").pop() ?? "no reason given"}`),
      ),
    );
  });
  ok(`started embedded Postgres on 127.0.0.1:${EMBEDDED_PORT}`);
  return { stop: server.stop, url: `postgresql://postgres:postgres@127.0.0.1:${EMBEDDED_PORT}/postgres` };
}

/** Creates `database` on the server of `serverUrl` unless it exists; optionally from scratch. */
async function ensureDatabase(serverUrl, database, { recreate }) {
  const { default: pg } = await import("pg");
  const client = new pg.Client({
    connectionString: withDatabase(serverUrl, "postgres"),
    connectionTimeoutMillis: 3000,
  });
  try {
    await client.connect();
  } catch (error) {
    fail(`cannot connect to Postgres at ${describe(new URL(serverUrl))}: ${error.code ?? ""} ${error.message}`.trim());
  }
  try {
    const quoted = `"${database.replaceAll('"', '""')}"`;
    if (recreate) await client.query(`DROP DATABASE IF EXISTS ${quoted} WITH (FORCE)`);
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    if (!rowCount) await client.query(`CREATE DATABASE ${quoted}`);
  } catch (error) {
    fail(`cannot create database "${database}" at ${describe(new URL(serverUrl))}: ${error.message}`);
  } finally {
    await client.end();
  }
}

/**
 * Resolves the database URL to use: `database` when we choose the server,
 * else DATABASE_URL's own name; either way plus `suffix` (e.g. "_test"), so
 * `npm test`, which recreates its database, never touches `npm start`'s.
 */
export async function resolvePostgres({ database, suffix = "", recreate = false }) {
  const configured = process.env.DATABASE_URL;
  if (configured) {
    let url;
    try {
      url = new URL(configured);
    } catch {
      fail("DATABASE_URL is not a valid URL (expected postgresql://user:password@host:5432/database)");
    }
    if (!(await isListening(url.hostname, Number(url.port || 5432), 3000))) {
      fail(`cannot reach Postgres at ${describe(url)} (from DATABASE_URL): nothing is listening there`);
    }
    const name = `${decodeURIComponent(url.pathname.slice(1)) || "postgres"}${suffix}`;
    await ensureDatabase(configured, name, { recreate });
    ok(`Postgres at ${describe(url)} (DATABASE_URL), database ${name}`);
    return { url: withDatabase(configured, name), stop: async () => {} };
  }
  const name = `${database}${suffix}`;
  if (await isListening("127.0.0.1", 5432)) {
    const server = "postgresql://postgres@127.0.0.1:5432/postgres";
    await ensureDatabase(server, name, { recreate });
    ok(`Postgres at 127.0.0.1:5432, database ${name}`);
    return { url: withDatabase(server, name), stop: async () => {} };
  }
  const { stop, url } = await startEmbedded();
  await ensureDatabase(url, name, { recreate }).catch(async (error) => {
    await stop();
    throw error;
  });
  return { url: withDatabase(url, name), stop };
}
