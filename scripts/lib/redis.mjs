// Finds a Redis: REDIS_URL, else one on 127.0.0.1:6379, else redis-server
// from PATH started by us (with an append-only file under .data/redis).
// `database` picks a logical database of its own on that server (npm test
// uses 1, so its keys and queues never meet npm start's).
import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { dataDir } from "./paths.mjs";
import { fail, ok, warn } from "./log.mjs";
import { isListening } from "./net.mjs";
import { spawnDetached } from "./detached.mjs";

const OWN_PORT = 6390;

/** Runs `use` on a short-lived connection; resolves to its result or the error. */
async function withRedis(url, use) {
  const { Redis } = await import("ioredis");
  const redis = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    connectTimeout: 3000,
    retryStrategy: () => null,
  });
  try {
    await redis.connect();
    return { value: await use(redis) };
  } catch (error) {
    return { error: error.message };
  } finally {
    redis.disconnect();
  }
}

const ping = async (url) => (await withRedis(url, (redis) => redis.ping())).error ?? null;

/**
 * Usage records wait in Redis for a moment before Postgres has them
 * (docs/reliability.md): a server without an append-only file loses that
 * moment's records if it crashes. Managed servers may hide CONFIG: then say nothing.
 */
async function warnWithoutPersistence(url, where) {
  const { value } = await withRedis(url, (redis) => redis.config("GET", "appendonly"));
  if (Array.isArray(value) && value[1] === "no")
    warn(
      `${where} keeps no append-only file: if it crashes, usage of the last moments may be lost (redis-cli CONFIG SET appendonly yes; docs/reliability.md)`,
    );
}

/** The URL with its logical database set (redis://host:port/<database>). */
export function withDatabase(url, database) {
  if (database === undefined) return url;
  return Object.assign(new URL(url), { pathname: `/${database}` }).toString();
}

async function startOwn() {
  if (spawnSync("sh", ["-c", "command -v redis-server"]).status !== 0) {
    fail(
      "Redis is needed and none was found: install redis-server (Debian/Ubuntu: apt-get install -y redis-server; macOS: brew install redis) or set REDIS_URL",
    );
  }
  const dir = join(dataDir, "redis");
  mkdirSync(dir, { recursive: true });
  const server = spawnDetached(
    "redis-server",
    // An append-only file, flushed every second: what the usage log needs (docs/reliability.md).
    [
      "--port",
      String(OWN_PORT),
      "--bind",
      "127.0.0.1",
      "--save",
      "",
      "--appendonly",
      "yes",
      "--appendfsync",
      "everysec",
      "--dir",
      dir,
    ],
    { stdio: "ignore" },
  );
  const url = `redis://127.0.0.1:${OWN_PORT}`;
  for (let attempt = 0; attempt < 50 && (await ping(url)); attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  ok(`started redis-server on 127.0.0.1:${OWN_PORT}`);
  return { url, label: null, stop: server.stop };
}

async function findRedis() {
  const configured = process.env.REDIS_URL;
  if (configured) {
    const problem = await ping(configured);
    if (problem) fail(`cannot reach Redis at REDIS_URL: ${problem}`);
    await warnWithoutPersistence(configured, "Redis at REDIS_URL");
    return { url: configured, label: "Redis at REDIS_URL", stop: async () => {} };
  }
  if ((await isListening("127.0.0.1", 6379)) && !(await ping("redis://127.0.0.1:6379"))) {
    await warnWithoutPersistence("redis://127.0.0.1:6379", "Redis at 127.0.0.1:6379");
    return { url: "redis://127.0.0.1:6379", label: "Redis at 127.0.0.1:6379", stop: async () => {} };
  }
  return startOwn();
}

/** `fresh` empties the chosen database first (npm test's own, never npm start's). */
export async function resolveRedis({ database, fresh = false } = {}) {
  const found = await findRedis();
  const url = withDatabase(found.url, database);
  if (fresh && database !== undefined) {
    const { error } = await withRedis(url, (redis) => redis.flushdb());
    if (error) fail(`cannot empty Redis database ${database} for the tests: ${error}`);
  }
  if (found.label) ok(database === undefined ? found.label : `${found.label}, database ${database}`);
  return { url, stop: found.stop };
}
