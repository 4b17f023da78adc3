import { randomBytes } from "node:crypto";
import { Queue } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TenantKeyring, parseMasterKeys } from "@aiaas/core/crypto";
import { createRedis } from "@aiaas/core/platform";
import { queues } from "@aiaas/core/queue";
import { startTestVerifier, testDb, testPepper, testRedisUrl } from "@aiaas/core/testing";
import { buildGateway } from "../server.ts";

const db = testDb();
const redis = createRedis(testRedisUrl(), "producer", "queue-depth-test");
const prefix = `qd${randomBytes(4).toString("hex")}`;
const queue = new Queue(queues.inference.name("kjv-embed-mini"), { connection: redis.duplicate(), prefix });
let verifier: Awaited<ReturnType<typeof startTestVerifier>>;
let internal: ReturnType<typeof buildGateway>["internal"];
let app: ReturnType<typeof buildGateway>["app"];

beforeAll(async () => {
  verifier = await startTestVerifier("queue-depth");
  await redis.connect();
  ({ app, internal } = buildGateway({
    db,
    platformDb: db,
    redis,
    verifier: verifier.verifier,
    pepper: testPepper,
    keyring: new TenantKeyring(db, parseMasterKeys(`qd:${randomBytes(32).toString("base64")}`)),
    queuePrefix: prefix,
    logger: false,
  }));
});
afterAll(async () => {
  await queue.obliterate({ force: true });
  await queue.close();
  await app.close();
  redis.disconnect();
  verifier.close();
});

/** The gauge's value for one model and state, as Prometheus would scrape it. */
async function depth(model: string, state: string) {
  const text = (await internal.inject({ method: "GET", url: "/metrics" })).body;
  const line = text.split("\n").find((row) => row.startsWith(`aiaas_queue_jobs{model="${model}",state="${state}"}`));
  return line === undefined ? undefined : Number(line.split(" ").at(-1));
}

describe("aiaas_queue_jobs", () => {
  it("shows each model's backlog, prioritised jobs apart from waiting ones, and falls when it drains", async () => {
    // As the gateway enqueues: most jobs carry a fair-share priority, which BullMQ keeps off the wait list.
    await queue.addBulk([
      ...Array.from({ length: 3 }, (_, i) => ({ name: "embedding", data: { i }, opts: { priority: 1 + i } })),
      ...Array.from({ length: 2 }, (_, i) => ({ name: "embedding", data: { i } })),
    ]);
    expect(await depth("kjv-embed-mini", "prioritized")).toBe(3);
    expect(await depth("kjv-embed-mini", "waiting")).toBe(2);
    expect(await depth("kjv-embed-mini", "active")).toBe(0);
    // Every active model has its series, at zero when idle.
    expect(await depth("kjv-gpt-mini", "waiting")).toBe(0);

    await queue.drain();
    expect(await depth("kjv-embed-mini", "prioritized")).toBe(0);
    expect(await depth("kjv-embed-mini", "waiting")).toBe(0);
  });
});
