import { randomBytes } from "node:crypto";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TenantKeyring, parseMasterKeys } from "@aiaas/core/crypto";
import { ApiKeyVerifier } from "@aiaas/core/keys";
import { createRedis } from "@aiaas/core/platform";
import { createTestTenant, startTestVerifier, testDb, testPepper, testRedisUrl } from "@aiaas/core/testing";
import { createPrismaClient } from "@aiaas/db";
import { testDatabaseUrl } from "@aiaas/db/testing";
import { buildGateway } from "./server.ts";
import { createTestKey } from "./testing/gateway-stack.ts";

const db = testDb();
const redis = createRedis(testRedisUrl(), "producer", "gateway-test");
const keyring = new TenantKeyring(db, parseMasterKeys(`t:${randomBytes(32).toString("base64")}`));
let verifier: Awaited<ReturnType<typeof startTestVerifier>>;
let app: ReturnType<typeof buildGateway>["app"];
let internal: ReturnType<typeof buildGateway>["internal"];
const gateway = (connection: Redis) =>
  buildGateway({
    db,
    platformDb: db,
    redis: connection,
    verifier: verifier.verifier,
    pepper: testPepper,
    keyring,
    queuePrefix: "gwhealth",
    logger: false,
  });
beforeAll(async () => {
  verifier = await startTestVerifier("gateway-health");
  await redis.connect();
  ({ app, internal } = gateway(redis));
});
afterAll(async () => {
  await app.close();
  redis.disconnect();
  verifier.close();
  await db.$disconnect();
});

describe("gateway health", () => {
  it("/healthz answers while the process is up", async () => {
    const response = await app.inject({ method: "GET", url: "/healthz" });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: "ok" });
    expect(response.headers["x-request-id"]).toMatch(/^req_[0-9a-f]{32}$/);
  });

  it("/readyz is 200 when Postgres and Redis answer, on the internal port only", async () => {
    const response = await internal.inject({ method: "GET", url: "/readyz" });
    expect(response.json()).toEqual({ status: "ready", checks: { postgres: "ok", redis: "ok" } });
    expect(response.statusCode).toBe(200);
    // The public API shows neither its dependencies' state nor its metrics.
    for (const url of ["/readyz", "/metrics"]) expect((await app.inject({ method: "GET", url })).statusCode).toBe(404);
    expect((await internal.inject({ method: "GET", url: "/healthz" })).statusCode).toBe(200);
  });

  it("/readyz is 503 naming Redis when it cannot be reached", async () => {
    const unreachable = createRedis("redis://127.0.0.1:1", "producer", "gateway-test-down");
    unreachable.on("error", () => {});
    unreachable.connect().catch(() => {});
    const { app: down, internal: downInternal } = gateway(unreachable);
    try {
      const response = await downInternal.inject({ method: "GET", url: "/readyz" });
      expect(response.statusCode).toBe(503);
      const body = response.json<{ status: string; checks: Record<string, string> }>();
      expect(body.status).toBe("unavailable");
      expect(body.checks.postgres).toBe("ok");
      expect(body.checks.redis).toMatch(/^unavailable: /);
    } finally {
      await down.close();
      unreachable.disconnect();
    }
  });

  it("answers 503 database_unavailable when Postgres cannot be reached, and logs and counts it: never a 500", async () => {
    const tenant = await createTestTenant(db, "gateway-db-down");
    const { secret } = await createTestKey({ tenantId: tenant.id });
    const url = new URL(testDatabaseUrl());
    url.port = "1";
    const unreachable = createPrismaClient({ databaseUrl: url.toString() });
    const logged: string[] = [];
    const { app: down, internal: downInternal } = buildGateway({
      db: unreachable,
      platformDb: unreachable,
      redis,
      // The key is not cached anywhere: verifying it needs Postgres.
      verifier: new ApiKeyVerifier({ db: unreachable, redis, subscriber: redis, pepper: testPepper }),
      pepper: testPepper,
      keyring: new TenantKeyring(unreachable, parseMasterKeys(`t:${randomBytes(32).toString("base64")}`)),
      queuePrefix: "gwdbdown",
      logger: { level: "warn", stream: { write: (line: string) => logged.push(line) } },
    });
    try {
      const response = await down.inject({
        method: "GET",
        url: "/v1/models",
        headers: { authorization: `Bearer ${secret}` },
      });
      expect(response.statusCode).toBe(503);
      expect(response.json()).toMatchObject({ error: { code: "database_unavailable", type: "service_unavailable" } });
      expect(response.json<{ error: { message: string } }>().error.message).toMatch(/try again/i);
      expect(logged.join("")).toContain('"event":"database_unavailable"');
      const metrics = await downInternal.inject({ method: "GET", url: "/metrics" });
      expect(metrics.body).toMatch(/aiaas_gateway_failures_total\{event="database_unavailable",script=""\} 1/);
    } finally {
      await down.close();
      await unreachable.$disconnect();
    }
  });

  it("/metrics serves Prometheus text with request durations", async () => {
    await app.inject({ method: "GET", url: "/healthz" });
    const response = await internal.inject({ method: "GET", url: "/metrics" });
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toMatch(/^text\/plain/);
    expect(response.body).toMatch(
      /aiaas_gateway_http_request_duration_seconds_count\{route="\/healthz",method="GET",status="200"\} \d+/,
    );
    expect(response.body).toContain("aiaas_gateway_process_cpu_seconds_total");
  });

  it("answers an unknown URL with an OpenAI-shaped 404", async () => {
    const response = await app.inject({ method: "POST", url: "/v1/nope" });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({
      error: {
        message: "Unknown request URL: POST /v1/nope.",
        type: "not_found_error",
        param: null,
        code: "unknown_url",
      },
    });
  });

  it("answers what Fastify refuses (URL, body) in the OpenAI error shape with codes of ours, not a 500", async () => {
    const { app: withRoute } = gateway(redis);
    withRoute.post("/test/echo", async (request) => request.body);
    const json = { "content-type": "application/json" };
    const cases = [
      {
        url: "/v1/models/%E0%A4%A",
        headers: {},
        payload: "",
        status: 400,
        code: "invalid_url",
        says: "percent-encoded",
      },
      { headers: json, payload: "{not json", status: 400, code: "invalid_json", says: "could not parse" },
      { headers: json, payload: "", status: 400, code: "invalid_json", says: "body is empty" },
      {
        headers: { "content-type": "application/xml" },
        payload: "<a/>",
        status: 415,
        code: "unsupported_media_type",
        says: "'application/xml'",
      },
      {
        headers: json,
        payload: `"${"x".repeat(17 * 1024 * 1024)}"`,
        status: 413,
        code: "body_too_large",
        says: "larger than the 16 MiB",
      },
    ];
    try {
      for (const { url = "/test/echo", headers, payload, status, code, says } of cases) {
        const response = await withRoute.inject({ method: "POST", url, headers, payload });
        expect(response.statusCode, code).toBe(status);
        const { error } = response.json<{ error: { message: string; type: string; param: null; code: string } }>();
        expect(error).toMatchObject({ type: "invalid_request_error", param: null, code });
        expect(error.message).toContain(says);
      }
    } finally {
      await withRoute.close();
    }
  });

  it("serves its OpenAPI description and renders it at /docs without reaching the internet", async () => {
    const spec = await app.inject({ method: "GET", url: "/openapi.json" });
    expect(spec.statusCode).toBe(200);
    expect(spec.json<{ openapi: string }>().openapi).toBe("3.1.0");
    const docs = await app.inject({ method: "GET", url: "/docs/" });
    expect(docs.statusCode).toBe(200);
    expect(docs.body).toContain("swagger-ui");
    expect(docs.body).not.toMatch(/https?:\/\/(cdn|unpkg|fonts)\./);
    const bundle = await app.inject({ method: "GET", url: "/docs/static/swagger-ui-bundle.js" });
    expect(bundle.statusCode).toBe(200);
  });

  it("lets browsers call it with a bearer key (CORS preflight)", async () => {
    const preflight = await app.inject({
      method: "OPTIONS",
      url: "/v1/chat/completions",
      headers: {
        origin: "http://localhost:3000",
        "access-control-request-method": "POST",
        "access-control-request-headers": "authorization,content-type",
      },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers["access-control-allow-origin"]).toBe("http://localhost:3000");
    expect(String(preflight.headers["access-control-allow-headers"])).toContain("authorization");
    // What a browser's client reads to back off: the rate-limit headers and retry-after-ms.
    const answer = await app.inject({ method: "GET", url: "/healthz", headers: { origin: "http://localhost:3000" } });
    const exposed = String(answer.headers["access-control-expose-headers"]).split(/,\s*/);
    expect(exposed).toEqual(
      expect.arrayContaining([
        "x-request-id",
        "x-ratelimit-remaining-requests",
        "x-ratelimit-reset-tokens",
        "retry-after-ms",
      ]),
    );
  });
});
