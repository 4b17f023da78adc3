import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { promisify } from "node:util";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";

const redisModule = new URL("./redis.mjs", import.meta.url).href;
/** A database no other test uses: this one empties it. */
const DATABASE = 7;
const server = Object.assign(new URL(process.env.REDIS_URL ?? ""), { pathname: "" }).toString();
const connections: Redis[] = [];
const connect = (database: number) => {
  const redis = new Redis(`${server}/${database}`);
  connections.push(redis);
  return redis;
};
afterAll(() => {
  for (const redis of connections) redis.disconnect();
});

/** The Redis URL resolveRedis picks, run as npm start and npm test run it (a process of their own). */
async function resolved(options: { database?: number; fresh?: boolean }) {
  const script = `import(${JSON.stringify(redisModule)}).then(async (m) => {
    const { url } = await m.resolveRedis(${JSON.stringify(options)});
    console.log(JSON.stringify(url));
  });`;
  const { stdout } = await promisify(execFile)(process.execPath, ["--input-type=module", "-e", script], {
    env: { PATH: process.env.PATH, NO_COLOR: "1", REDIS_URL: server },
    timeout: 30_000,
  });
  return JSON.parse(stdout.trim().split("\n").pop() ?? "") as string;
}

describe("resolveRedis", () => {
  it("gives npm test a database of its own on the same server, emptied first; npm start's is left alone", async () => {
    const key = `probe:${randomBytes(4).toString("hex")}`;
    const mine = connect(DATABASE);
    const others = connect(0);
    await mine.set(key, "left over from a previous run");
    await others.set(key, "npm start's", "EX", 60);
    expect(new URL(await resolved({ database: DATABASE, fresh: true })).pathname).toBe(`/${DATABASE}`);
    expect(await mine.get(key)).toBeNull();
    expect(await others.get(key)).toBe("npm start's");
    await others.del(key);
  });

  it("leaves the configured URL as it is for npm start", async () => {
    expect(await resolved({})).toBe(server);
  });
});
