import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authCacheKeys, generateApiKey, hashApiKey } from "@aiaas/core/keys";
import { createRedis } from "@aiaas/core/platform";
import { createTestTenant, logLine, testDb, testPepper, testRedisUrl } from "@aiaas/core/testing";
import { createTestKey, startGatewayStack, type GatewayStack } from "./testing/gateway-stack.ts";

const db = testDb();
const redis = createRedis(testRedisUrl(), "client", "gateway-refusals-test");
let stack: GatewayStack;

beforeAll(async () => {
  stack = await startGatewayStack({
    models: "kjv-embed-mini",
    gateways: 2,
    gatewayEnv: { GATEWAY_KEY_LOOKUPS_PER_MINUTE: "100" },
  });
}, 120_000);
afterAll(async () => {
  await stack.close();
  redis.disconnect();
});

/**
 * Sends a request's head over a raw connection, declaring a body that never
 * comes, and resolves with the status line and how long it took to arrive.
 */
function headOnly(url: string, headers: Record<string, string>): Promise<{ status: string; ms: number }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let started = 0;
    socket.once("connect", () => {
      const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}`);
      started = performance.now();
      socket.write(`POST /v1/embeddings HTTP/1.1\r\nhost: ${hostname}\r\n${lines.join("\r\n")}\r\n\r\n{"model":`);
    });
    socket.once("data", (chunk: Buffer) => {
      const ms = performance.now() - started;
      socket.destroy();
      resolve({ status: chunk.toString().split("\r\n")[0] ?? "", ms });
    });
    socket.once("error", reject);
    setTimeout(() => {
      socket.destroy();
      reject(new Error("no answer in 5 s"));
    }, 5_000);
  });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

const lookups = async (url: string) => {
  const text = await (await fetch(`${url}/metrics`)).text();
  const count = (outcome: string) =>
    Number(new RegExp(`aiaas_gateway_key_lookups_total\\{outcome="${outcome}"\\} (\\d+)`).exec(text)?.[1] ?? 0);
  return { admitted: count("admitted"), refused: count("refused") };
};

describe("the gateway refuses before it reads", () => {
  it("answers a bad key with 401 within 100 ms while its declared 15 MB body never arrives", async () => {
    const declared = { "content-type": "application/json", "content-length": "15000000" };
    const cases = {
      malformed: "Bearer not-a-key",
      unknown: `Bearer ${generateApiKey("live").secret}`,
    };
    for (const [name, authorization] of Object.entries(cases)) {
      const tries = [];
      for (let i = 0; i < 5; i++) tries.push(await headOnly(stack.url, { ...declared, authorization }));
      expect(tries.map((answer) => answer.status)).toEqual(Array(5).fill("HTTP/1.1 401 Unauthorized"));
      expect(median(tries.map((answer) => answer.ms)), name).toBeLessThan(100);
    }
    // A good key with a declared body over the limit: 413 before reading it.
    const tenant = await createTestTenant(db, "refuse-large");
    const key = await createTestKey({ tenantId: tenant.id });
    const large = await headOnly(stack.url, {
      ...declared,
      "content-length": String(17 * 1024 * 1024),
      authorization: `Bearer ${key.secret}`,
    });
    expect(large.status).toBe("HTTP/1.1 413 Payload Too Large");
  });

  it("keeps 10,000 made-up keys off Postgres: a few hundred lookups at most, across two gateways", async () => {
    const internal = [
      stack.internalUrl,
      ...stack.gateways.slice(1).map((app) => `http://127.0.0.1:${app.internalPort}`),
    ];
    const counted = async () => {
      const each = await Promise.all(internal.map(lookups));
      return {
        admitted: each.reduce((sum, one) => sum + one.admitted, 0),
        refused: each.reduce((sum, one) => sum + one.refused, 0),
      };
    };
    const tenant = await createTestTenant(db, "flooded-neighbour");
    const known = await createTestKey({ tenantId: tenant.id });
    const models = (url: string, secret: string) =>
      fetch(`${url}/v1/models`, { headers: { authorization: `Bearer ${secret}` } });
    for (const url of stack.urls) expect((await models(url, known.secret)).status).toBe(200); // cached now
    const start = await counted();
    const statuses = new Map<number, number>();
    let next = 0;
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        while (next < 10_000) {
          const url = stack.urls[next++ % stack.urls.length];
          const response = await fetch(`${url}/v1/models`, {
            headers: { authorization: `Bearer ${generateApiKey("live").secret}` },
          });
          await response.arrayBuffer();
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        }
      }),
    );
    const end = await counted();
    const admitted = end.admitted - start.admitted;
    expect(admitted).toBeGreaterThan(0);
    expect(admitted).toBeLessThanOrEqual(300);
    expect(statuses.get(401)).toBe(admitted);
    expect(statuses.get(429)).toBe(10_000 - admitted);
    expect(end.refused - start.refused).toBe(10_000 - admitted);
    // From the same address, a key the gateways have cached still works; one they must look up waits a minute.
    for (const url of stack.urls) expect((await models(url, known.secret)).status).toBe(200);
    const fresh = await createTestKey({ tenantId: tenant.id });
    const waiting = await models(stack.url, fresh.secret);
    expect(waiting.status).toBe(429);
    expect(waiting.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(await waiting.json()).toMatchObject({ error: { code: "too_many_unknown_keys", type: "rate_limit_error" } });
    await redis.del(`${stack.prefix}:key-lookups:127.0.0.1`);
  }, 120_000);

  it("refuses a key whose cached record someone altered in Redis, logs it, and counts it", async () => {
    const tenant = await createTestTenant(db, "tamper-victim");
    const other = await createTestTenant(db, "tamper-thief");
    const key = await createTestKey({ tenantId: other.id });
    const models = (url: string) => fetch(`${url}/v1/models`, { headers: { authorization: `Bearer ${key.secret}` } });
    expect((await models(stack.url)).status).toBe(200); // now cached in Redis, sealed
    const name = authCacheKeys.key(hashApiKey(key.secret, testPepper));
    const sealed = await redis.get(name);
    expect(sealed).toContain(other.id);
    // Someone who can write Redis moves the key to another tenant, keeping the seal.
    await redis.set(name, (sealed ?? "").replace(other.id, tenant.id), "KEEPTTL");
    // The second gateway has not seen the key yet: it reads Redis.
    const second = stack.urls[1] ?? "";
    const refused = await models(second);
    expect(refused.status).toBe(401);
    const gateway = stack.gateways[1];
    if (!gateway) throw new Error("two gateways");
    expect(await logLine(gateway, ['"event":"auth_cache_tampered"'])).toMatchObject({ level: 50 });
    const text = await (await fetch(`http://127.0.0.1:${gateway.internalPort}/metrics`)).text();
    expect(text).toMatch(/aiaas_gateway_failures_total\{event="auth_cache_tampered",script=""\} 1/);
  });
});
