// Finds a Redis: REDIS_URL, else one on 127.0.0.1:6379, else redis-server
// from PATH started by us (nothing kept on disk).
import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { dataDir } from "./paths.mjs";
import { fail, ok } from "./log.mjs";
import { isListening } from "./net.mjs";
import { spawnDetached } from "./detached.mjs";

const OWN_PORT = 6390;

async function ping(url) {
  const { Redis } = await import("ioredis");
  const redis = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    connectTimeout: 3000,
    retryStrategy: () => null,
  });
  try {
    await redis.connect();
    await redis.ping();
    return null;
  } catch (error) {
    return error.message;
  } finally {
    redis.disconnect();
  }
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
    ["--port", String(OWN_PORT), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir],
    { stdio: "ignore" },
  );
  const url = `redis://127.0.0.1:${OWN_PORT}`;
  for (let attempt = 0; attempt < 50 && (await ping(url)); attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  ok(`started redis-server on 127.0.0.1:${OWN_PORT}`);
  return { url, stop: server.stop };
}

export async function resolveRedis() {
  const configured = process.env.REDIS_URL;
  if (configured) {
    const problem = await ping(configured);
    if (problem) fail(`cannot reach Redis at REDIS_URL: ${problem}`);
    ok("Redis at REDIS_URL");
    return { url: configured, stop: async () => {} };
  }
  if ((await isListening("127.0.0.1", 6379)) && !(await ping("redis://127.0.0.1:6379"))) {
    ok("Redis at 127.0.0.1:6379");
    return { url: "redis://127.0.0.1:6379", stop: async () => {} };
  }
  return startOwn();
}
