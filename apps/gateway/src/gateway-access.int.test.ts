import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { TenantKeyring, parseMasterKeys } from "@aiaas/core/crypto";
import { invalidateAuthCache, revokeApiKey } from "@aiaas/core/keys";
import { createRedis } from "@aiaas/core/platform";
import { publishWorkerStatus, requestCancel } from "@aiaas/core/queue";
import { setTenantStatus } from "@aiaas/core/tenants";
import { createTestTenant, logLine, testContext, testDb, testRedisUrl } from "@aiaas/core/testing";
import { createTestKey, startGatewayStack, type GatewayStack } from "./testing/gateway-stack.ts";

const db = testDb();
const redis = createRedis(testRedisUrl(), "client", "gateway-access-test");
let stack: GatewayStack;

beforeAll(async () => {
  stack = await startGatewayStack({ models: "kjv-gpt-mini,kjv-embed-mini" });
}, 120_000);
afterAll(async () => {
  await stack.close();
  redis.disconnect();
});

const post = (path: string, secret: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${stack.url}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${secret}`, "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
const chat = { model: "kjv-gpt-mini", messages: [{ role: "user", content: "And God said" }], max_tokens: 6 };
const errorOf = async (response: Response) => ((await response.json()) as { error: Record<string, unknown> }).error;

async function deniedEvents(tenantId: string, reason: string) {
  for (let i = 0; i < 50; i++) {
    const events = await db.auditEvent.findMany({ where: { tenantId, action: "api_key.use_denied" } });
    const matching = events.filter((event) => (event.metadata as { reason?: string }).reason === reason);
    if (matching.length > 0) return matching;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return [];
}

describe("key checks on the public API", () => {
  it("refuses a revoked key with 401 and audits the attempt once per minute, from the address that connected", async () => {
    const tenant = await createTestTenant(db, "rev");
    const key = await createTestKey({ tenantId: tenant.id });
    expect((await post("/v1/chat/completions", key.secret, chat)).status).toBe(200);
    await db.$transaction((tx) => revokeApiKey({ tenantId: tenant.id, keyId: key.id }, testContext, tx));
    const row = await db.apiKey.findUniqueOrThrow({ where: { id: key.id }, omit: { keyHash: false } });
    await invalidateAuthCache(redis, { keyHash: row.keyHash });
    for (let i = 0; i < 3; i++) {
      // No proxy is trusted (TRUSTED_PROXIES is empty): a client's X-Forwarded-For is not its address.
      const response = await post("/v1/chat/completions", key.secret, chat, { "x-forwarded-for": "203.0.113.9" });
      expect(response.status).toBe(401);
      expect(await errorOf(response)).toMatchObject({ code: "revoked_api_key", type: "authentication_error" });
    }
    const events = await deniedEvents(tenant.id, "revoked");
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actorType: "api_key", actorId: key.id, result: "denied" });
    expect(events[0]?.ip).toMatch(/^(::ffff:)?127\.0\.0\.1$/);
    expect(JSON.stringify(events)).not.toContain(key.secret);
  });

  it("refuses an expired key with 401", async () => {
    const tenant = await createTestTenant(db, "exp");
    const key = await createTestKey({ tenantId: tenant.id, expiresAt: new Date(Date.now() + 60_000) });
    await db.apiKey.update({ where: { id: key.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const response = await post("/v1/chat/completions", key.secret, chat);
    expect(response.status).toBe(401);
    expect(await errorOf(response)).toMatchObject({ code: "expired_api_key" });
    expect(await deniedEvents(tenant.id, "expired")).toHaveLength(1);
  });

  it("refuses every key of a suspended tenant with 403", async () => {
    const tenant = await createTestTenant(db, "sus");
    const key = await createTestKey({ tenantId: tenant.id });
    await db.$transaction((tx) => setTenantStatus({ tenant: tenant.id, status: "suspended" }, testContext, tx));
    await invalidateAuthCache(redis, { tenantId: tenant.id });
    const response = await post("/v1/embeddings", key.secret, { model: "kjv-embed-mini", input: "x" });
    expect(response.status).toBe(403);
    expect(await errorOf(response)).toMatchObject({ code: "organization_suspended", type: "permission_error" });
    expect(await deniedEvents(tenant.id, "tenant_suspended")).toHaveLength(1);
  });

  it("holds a key to its scopes and models", async () => {
    const tenant = await createTestTenant(db, "scope");
    const embedOnly = await createTestKey({ tenantId: tenant.id, scopes: ["embeddings:write", "models:read"] });
    const denied = await post("/v1/chat/completions", embedOnly.secret, chat);
    expect(denied.status).toBe(403);
    expect(await errorOf(denied)).toMatchObject({ code: "insufficient_scope" });
    expect(await deniedEvents(tenant.id, "scope")).toHaveLength(1);
    expect((await post("/v1/embeddings", embedOnly.secret, { model: "kjv-embed-mini", input: "x" })).status).toBe(200);

    const oneModel = await createTestKey({ tenantId: tenant.id, models: ["kjv-embed-mini"] });
    const listed = await fetch(`${stack.url}/v1/models`, { headers: { authorization: `Bearer ${oneModel.secret}` } });
    // The key names a model: it may use its every name (the int8 variant under its alias).
    expect(((await listed.json()) as { data: { id: string }[] }).data.map((model) => model.id)).toEqual([
      "kjv-embed-mini",
      "kjv-embed-mini:int8",
    ]);
    const otherModel = await post("/v1/chat/completions", oneModel.secret, chat);
    expect(otherModel.status).toBe(403);
    expect(await errorOf(otherModel)).toMatchObject({ code: "model_not_allowed", param: "model" });
  });

  it("asks for a key when there is none, without I/O for a malformed one", async () => {
    const none = await fetch(`${stack.url}/v1/models`);
    expect(none.status).toBe(401);
    expect(await errorOf(none)).toMatchObject({ code: "missing_api_key" });
    const malformed = await post("/v1/embeddings", "not-a-key", { model: "kjv-embed-mini", input: "x" });
    expect(malformed.status).toBe(401);
    expect(await errorOf(malformed)).toMatchObject({ code: "invalid_api_key" });
  });
});

describe("idempotency", () => {
  it("runs 20 concurrent identical requests once: one job, one usage record, 20 identical answers", async () => {
    const tenant = await createTestTenant(db, "idem");
    const key = await createTestKey({ tenantId: tenant.id });
    const body = { ...chat, max_tokens: 16, temperature: 1 };
    const responses = await Promise.all(
      Array.from({ length: 20 }, () =>
        post("/v1/chat/completions", key.secret, body, { "idempotency-key": "order-42" }),
      ),
    );
    expect(responses.map((response) => response.status)).toEqual(Array(20).fill(200));
    const bodies = await Promise.all(responses.map((response) => response.text()));
    expect(new Set(bodies).size).toBe(1);
    // One request: every answer names it in x-request-id, and its body's id is OpenAI's form of it.
    const ids = new Set(responses.map((response) => response.headers.get("x-request-id")));
    expect(ids.size).toBe(1);
    const id = [...ids][0] ?? "";
    expect((JSON.parse(bodies[0] ?? "{}") as { id: string }).id).toBe(`chatcmpl-${id.slice("req_".length)}`);
    const jobs = await stackQueueJobs(tenant.id);
    expect(jobs).toEqual([id]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await db.usageEvent.count({ where: { tenantId: tenant.id } })).toBe(1);
    expect(await db.request.findUnique({ where: { id } })).toMatchObject({
      idempotencyKey: "order-42",
      tenantId: tenant.id,
    });

    const later = await post("/v1/chat/completions", key.secret, body, { "idempotency-key": "order-42" });
    expect(later.headers.get("idempotent-replayed")).toBe("true");
    expect(await later.text()).toBe(bodies[0]);
    const conflict = await post(
      "/v1/chat/completions",
      key.secret,
      { ...body, max_tokens: 3 },
      { "idempotency-key": "order-42" },
    );
    expect(conflict.status).toBe(409);
    expect(await errorOf(conflict)).toMatchObject({ code: "idempotency_key_reused" });
  });
});

/** The ids of the jobs a tenant has on the stack's chat queue. */
async function stackQueueJobs(tenantId: string) {
  const { Queue } = await import("bullmq");
  const queue = new Queue("inference-kjv-gpt-mini", { connection: redis, prefix: stack.prefix });
  try {
    const jobs = await queue.getJobs(["completed", "active", "waiting", "failed"]);
    return jobs.filter((job) => (job.data as { tenantId: string }).tenantId === tenantId).map((job) => job.id);
  } finally {
    await queue.close();
  }
}

describe("waiting and streaming", () => {
  it("answers 503 at once for a model no worker serves", async () => {
    const tenant = await createTestTenant(db, "nowk");
    const key = await createTestKey({ tenantId: tenant.id });
    const response = await post("/v1/ocr", key.secret, {
      model: "paddleocr-v4",
      image: "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
    });
    expect(response.status).toBe(503);
    const error = await errorOf(response);
    expect(error.code).toBe("model_unavailable");
    expect(error.message).toContain("paddleocr-v4");
  });

  it("cancels the job when a streaming client goes away", async () => {
    const tenant = await createTestTenant(db, "gone");
    const key = await createTestKey({ tenantId: tenant.id });
    /** One streamed request, left after its first chunk; its recorded usage. */
    const leaveEarly = async () => {
      const response = await post("/v1/chat/completions", key.secret, { ...chat, max_tokens: 200, stream: true }, {});
      const requestId = response.headers.get("x-request-id") ?? "";
      const reader = response.body?.getReader();
      await reader?.read();
      // The worker waits (paused) until the gateway has asked for the cancel.
      stack.worker.kill("SIGSTOP");
      try {
        await reader?.cancel();
        // The gateway asks the worker to stop; unless the whole answer had been written before the pause, in which
        // case it was answered (and recorded as succeeded, tried again below) with nothing left to cancel.
        const settled = async () =>
          (await redis.exists(`${stack.prefix}:cancelled:${requestId}`)) === 1 ||
          (await db.usageEvent.findUnique({ where: { requestId } }))?.status === "succeeded";
        await expect.poll(settled, { timeout: 10_000 }).toBe(true);
      } finally {
        stack.worker.kill("SIGCONT");
      }
      for (let i = 0; i < 100; i++) {
        const usage = await db.usageEvent.findUnique({ where: { requestId } });
        if (usage) return usage;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error(`no usage recorded for ${requestId}`);
    };
    // A small model can write all its text between the first chunk and the pause: that run proves nothing, so
    // it is tried again (three times at most); a cancel that never takes fails.
    let usage = await leaveEarly();
    for (let attempt = 1; attempt < 3 && usage.status === "succeeded"; attempt++) usage = await leaveEarly();
    // What was generated before the cancel is recorded (and billed), not the rest.
    expect(usage).toMatchObject({ status: "cancelled" });
    expect(usage.outputTokens).toBeLessThan(200);
  });
});

describe("encryption keys", () => {
  it("answers a tenant whose data key its master keys cannot open with a 500 naming it, logged with the tenant and counted", async () => {
    const tenant = await createTestTenant(db, "lost-key");
    // Its data key was wrapped by a master key this gateway was not given.
    const elsewhere = `gone${randomBytes(4).toString("hex")}:${randomBytes(32).toString("base64")}`;
    await new TenantKeyring(db, parseMasterKeys(elsewhere)).activeKey(tenant.id);
    const key = await createTestKey({ tenantId: tenant.id });
    const response = await post("/v1/chat/completions", key.secret, chat);
    expect(response.status).toBe(500);
    expect(await errorOf(response)).toMatchObject({
      code: "data_key_unavailable",
      message: expect.stringMatching(
        /data key cannot be opened with the server's master keys.*nothing was run/,
      ) as unknown,
    });
    const requestId = response.headers.get("x-request-id") ?? "";
    expect(await logLine(stack.gateway, [requestId, "data_key_unavailable"])).toMatchObject({
      tenantId: tenant.id,
      event: "data_key_unavailable",
    });
    const metrics = await (await fetch(`${stack.internalUrl}/metrics`)).text();
    expect(metrics).toMatch(/aiaas_gateway_failures_total\{event="data_key_unavailable",script=""\} [1-9]/);
  });
});

describe("timeouts", () => {
  let slow: GatewayStack;
  beforeAll(async () => {
    slow = await startGatewayStack({
      models: "kjv-embed-mini",
      gatewayEnv: { GATEWAY_REQUEST_TIMEOUT_MS: "800", GATEWAY_STREAM_KEEPALIVE_MS: "200" },
    });
  }, 120_000);
  afterAll(async () => {
    await slow.close();
  });

  /** A worker that claims to serve the chat model (the version its id answers with) but never takes a job. */
  async function publishGhost() {
    const now = new Date().toISOString();
    const { version } = await db.modelAlias.findFirstOrThrow({
      where: { model: { slug: "kjv-gpt-mini" }, alias: "default" },
      select: { version: { select: { sha256: true } } },
    });
    await publishWorkerStatus(
      redis,
      slow.prefix,
      {
        id: "ghost",
        hostname: "nowhere",
        pid: 1,
        version: "0",
        provider: "cpu",
        providerNote: "",
        models: ["kjv-gpt-mini"],
        versions: { "kjv-gpt-mini": [version.sha256] },
        concurrency: 1,
        inFlight: 0,
        jobsDone: 0,
        jobsFailed: 0,
        startedAt: now,
        lastSeenAt: now,
      },
      30,
    );
  }

  it("answers 504 with a clear message when no worker picks the job up in time, and records it", async () => {
    await publishGhost();
    const tenant = await createTestTenant(db, "slow");
    const key = await createTestKey({ tenantId: tenant.id });
    const response = await fetch(`${slow.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${key.secret}`, "content-type": "application/json" },
      body: JSON.stringify(chat),
    });
    expect(response.status).toBe(504);
    const error = await errorOf(response);
    expect(error.code).toBe("timeout");
    expect(error.message).toMatch(/did not answer within 1 s/);
    const requestId = response.headers.get("x-request-id") ?? "";
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await db.request.findUnique({ where: { id: requestId } })).toMatchObject({ status: "timed_out" });
    await requestCancel(redis, slow.prefix, requestId);
  });

  it("keeps a streamed request that waits in the queue alive with SSE comments, then ends it with the timeout", async () => {
    await publishGhost();
    const tenant = await createTestTenant(db, "slow-stream");
    const key = await createTestKey({ tenantId: tenant.id });
    const response = await fetch(`${slow.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${key.secret}`, "content-type": "application/json" },
      body: JSON.stringify({ ...chat, stream: true }),
    });
    // The head goes out with the first keep-alive: the error comes as the stream's last event.
    expect(response.status).toBe(200);
    const body = await response.text();
    expect(body.match(/^: waiting in the queue$/gm)?.length).toBeGreaterThanOrEqual(2);
    const events = body
      .split("\n\n")
      .filter((event) => event.startsWith("data: "))
      .map((event) => event.slice(6));
    expect(JSON.parse(events.at(-1) ?? "{}")).toMatchObject({ error: { code: "timeout" } });
    await requestCancel(redis, slow.prefix, response.headers.get("x-request-id") ?? "");
  });
});
