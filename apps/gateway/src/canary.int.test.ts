import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { promisify } from "node:util";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DecryptionError, TenantKeyring, open, parseMasterKeys, sealedKeyId } from "@aiaas/core/crypto";
import { createRedis } from "@aiaas/core/platform";
import { openStoredPart, storedPartContext } from "@aiaas/core/usage";
import { createTestTenant, testDb, testRedisUrl } from "@aiaas/core/testing";
import { testDatabaseUrl } from "@aiaas/db/testing";
import { createTestKey, startGatewayStack, type GatewayStack } from "./testing/gateway-stack.ts";

const db = testDb();
const redis = createRedis(testRedisUrl(), "client", "canary-test");
const marker = `CANARY${randomBytes(8).toString("hex")}`;
const forms = [marker, Buffer.from(marker).toString("hex"), Buffer.from(marker).toString("base64").slice(0, 16)];
let stack: GatewayStack;
let tenantId: string;
let otherTenantId: string;
const requestIds: string[] = [];
/** The key's secret and the model's answers: no log line may hold them either. */
const secrets: string[] = [];

beforeAll(async () => {
  // Every level: a debug or trace line, the day one is added, must not leak what an info line keeps quiet.
  stack = await startGatewayStack({ gatewayEnv: { LOG_LEVEL: "trace" }, workerEnv: { LOG_LEVEL: "trace" } });
  const tenant = await createTestTenant(db, "canary");
  tenantId = tenant.id;
  otherTenantId = (await createTestTenant(db, "other")).id;
  // Kept 30 days: the prompt is stored, so the database must hold it encrypted.
  await db.tenant.update({ where: { id: tenantId }, data: { retention: "days_30" } });
  const { secret } = await createTestKey({ tenantId });
  secrets.push(secret);
  const post = async (path: string, body: unknown) => {
    const response = await fetch(`${stack.url}${path}`, {
      method: "POST",
      headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    expect(response.status, `${path}: ${await response.clone().text()}`).toBe(200);
    if (response.headers.get("content-type")?.startsWith("application/json")) {
      const { choices } = (await response.clone().json()) as {
        choices?: { message?: { content: string }; text?: string }[];
      };
      const answer = choices?.[0]?.message?.content ?? choices?.[0]?.text ?? "";
      if (answer.trim().length >= 12) secrets.push(answer);
    }
    requestIds.push(response.headers.get("x-request-id") ?? "");
  };
  await post("/v1/chat/completions", {
    model: "kjv-gpt-mini",
    messages: [{ role: "user", content: `say ${marker}` }],
    max_tokens: 24,
  });
  await post("/v1/chat/completions", {
    model: "kjv-gpt-mini",
    messages: [{ role: "user", content: `${marker} streamed` }],
    max_tokens: 8,
    stream: true,
  });
  await post("/v1/completions", { model: "kjv-gpt-mini", prompt: marker, max_tokens: 8 });
  await post("/v1/embeddings", { model: "kjv-embed-mini", input: [marker, `and ${marker}`] });
  const query = new URLSearchParams({ model: "kjv-gpt-mini", prompt: marker, max_tokens: "4" });
  await post(`/v1/generate?${query.toString()}`, {});
  // Usage is written in batches: wait until every request is in the database.
  for (let i = 0; i < 100 && (await db.request.count({ where: { id: { in: requestIds } } })) < requestIds.length; i++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}, 120_000);

afterAll(async () => {
  await stack.close();
  redis.disconnect();
});

/** Everything in the database as text: pg_dump where it is installed, else every row of every table. */
async function databaseDump(): Promise<string> {
  try {
    const { stdout } = await promisify(execFile)("pg_dump", ["--data-only", testDatabaseUrl()], { maxBuffer: 1 << 30 });
    return stdout;
  } catch {
    const tables = await db.$queryRaw<{ table_name: string }[]>`
      SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`;
    const parts: string[] = [];
    for (const { table_name } of tables) {
      const rows = await db.$queryRawUnsafe<{ row: string }[]>(`SELECT t::text AS row FROM "${table_name}" t`);
      parts.push(...rows.map((row) => row.row));
    }
    return parts.join("\n");
  }
}

/** Every key and value in Redis, whatever its type. */
async function redisDump(client: Redis): Promise<string> {
  const parts: string[] = [];
  let cursor = "0";
  do {
    const [next, keys] = await client.scan(cursor, "COUNT", 1000);
    cursor = next;
    for (const key of keys) {
      parts.push(key);
      const type = await client.type(key);
      if (type === "string") parts.push((await client.getBuffer(key))?.toString("latin1") ?? "");
      else if (type === "hash") parts.push(JSON.stringify(await client.hgetall(key)));
      else if (type === "list") parts.push(JSON.stringify(await client.lrange(key, 0, -1)));
      else if (type === "set") parts.push(JSON.stringify(await client.smembers(key)));
      else if (type === "zset") parts.push(JSON.stringify(await client.zrange(key, "0", "-1")));
      else if (type === "stream") parts.push(JSON.stringify(await client.xrange(key, "-", "+")));
    }
  } while (cursor !== "0");
  return parts.join("\n");
}

describe("a canary prompt", () => {
  it("reached the model (the test would prove nothing otherwise)", async () => {
    expect(requestIds).toHaveLength(5);
    const rows = await db.request.findMany({ where: { id: { in: requestIds } } });
    expect(rows).toHaveLength(5);
    expect(rows.every((row) => row.promptCiphertext !== null)).toBe(true);
  });

  it("appears nowhere in plaintext in the database", async () => {
    const dump = await databaseDump();
    expect(dump).toContain(tenantId);
    for (const form of forms) expect(dump).not.toContain(form);
  });

  it("appears nowhere in Redis: job data, results, token streams, idempotency", async () => {
    const dump = await redisDump(redis);
    expect(dump).toContain(stack.prefix);
    for (const form of forms) expect(dump).not.toContain(form);
  });

  it("appears nowhere in the logs of the gateway and the worker, at any level; nor do the key and the answers", () => {
    const logs = [...stack.gateway.logs, ...stack.worker.logs].join("");
    expect(logs).toContain("/v1/generate");
    expect(secrets.length).toBeGreaterThan(1);
    for (const secret of [marker, ...secrets]) expect(logs).not.toContain(secret);
  });

  it("decrypts for its tenant only", async () => {
    const keyring = new TenantKeyring(db, parseMasterKeys(stack.masterKeys));
    const row = await db.request.findUniqueOrThrow({ where: { id: requestIds[0] ?? "" } });
    const sealed = row.promptCiphertext ?? new Uint8Array();
    const prompt = await openStoredPart(keyring, tenantId, row.id, "prompt", sealed);
    expect(JSON.stringify(prompt)).toContain(marker);
    await expect(openStoredPart(keyring, otherTenantId, row.id, "prompt", sealed)).rejects.toBeInstanceOf(
      DecryptionError,
    );
    // The other tenant's data key itself fails AES-GCM authentication, even passed off under the right id.
    const otherKey = await keyring.activeKey(otherTenantId);
    const disguised = { id: sealedKeyId(sealed), key: otherKey.key };
    expect(() => open(disguised, sealed, `${tenantId}:${storedPartContext(row.id, "prompt")}`)).toThrow(
      DecryptionError,
    );
  });
});
