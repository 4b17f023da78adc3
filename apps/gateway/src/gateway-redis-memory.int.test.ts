import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRedis } from "@aiaas/core/platform";
import { createTestKey, createUnlimitedTenant, startGatewayStack, type GatewayStack } from "./testing/gateway-stack.ts";
import { startRedisServer, type RedisServer } from "./testing/redis-server.ts";
import { longRun } from "./testing/long-run.ts";

let redis: RedisServer;
let stack: GatewayStack;

beforeAll(async () => {
  // A Redis of this test's own: its memory is this test's alone to measure.
  redis = await startRedisServer();
  stack = await startGatewayStack({ models: "paddleocr-v4", redisUrl: redis.url });
}, 120_000);
afterAll(async () => {
  await stack.close();
  await redis.kill();
});

const MB = 1024 * 1024;

/** 1 MB that no decoder reads: no image format's magic number at all. */
const noImage = () => randomBytes(MB);

/** A PNG whose header declares 1000×1000 pixels over 1 MB of noise: the gateway lets it by, the worker cannot decode it. */
function garbledPng() {
  const header = Buffer.alloc(33);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(header, 0);
  header.writeUInt32BE(13, 8);
  header.write("IHDR", 12, "latin1");
  header.writeUInt32BE(1000, 16);
  header.writeUInt32BE(1000, 20);
  header.set([8, 6, 0, 0, 0], 24);
  return Buffer.concat([header, randomBytes(MB - header.length)]);
}

/** 1,000 in `npm run test:faults`; fewer in CI (a quarter of a GB, if Redis kept them, is still plain to see). */
const UPLOADS = longRun ? 1_000 : 250;

describe("Redis stays bounded", () => {
  it(`holds nothing of ${UPLOADS.toLocaleString("en")} undecodable 1 MB OCR uploads once they are answered`, async () => {
    const tenant = await createUnlimitedTenant("garbage");
    const { secret } = await createTestKey({ tenantId: tenant.id });
    const measure = createRedis(redis.url, "client", "redis-memory-test");
    const usedMemory = async () => Number(/used_memory:(\d+)/.exec(await measure.info("memory"))?.[1]);
    const send = async (bytes: Buffer) => {
      const response = await fetch(`${stack.url}/v1/ocr`, {
        method: "POST",
        headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
        body: JSON.stringify({ model: "paddleocr-v4", image: bytes.toString("base64") }),
      });
      return { status: response.status, code: ((await response.json()) as { error?: { code?: string } }).error?.code };
    };
    // Warm up: scripts loaded, queues and their keys made, the worker's first failure recorded.
    for (const bytes of [noImage(), garbledPng()]) expect((await send(bytes)).status).toBe(400);
    const before = await usedMemory();
    const answers: { status: number; code?: string }[] = [];
    const uploads = Array.from({ length: UPLOADS }, (_, i) => (i % 2 === 0 ? noImage : garbledPng));
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let next = uploads.shift(); next; next = uploads.shift()) answers.push(await send(next()));
      }),
    );
    expect(answers).toHaveLength(UPLOADS);
    expect(answers.filter((answer) => answer.status !== 400 || answer.code !== "invalid_image")).toEqual([]);
    // A finished job's input is dropped as it ends; give the last ones a moment.
    await expect.poll(usedMemory, { timeout: 10_000 }).toBeLessThan(before + 10 * MB);
    const after = await usedMemory();
    console.log(
      `Redis used memory: ${(before / MB).toFixed(1)} MB before, ${(after / MB).toFixed(1)} MB after ${UPLOADS} uploads`,
    );
    measure.disconnect();
  }, 300_000);
});
