import { trace } from "@opentelemetry/api";
import { InMemorySpanExporter, NodeTracerProvider, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRedis } from "@aiaas/core/platform";
import { createTestTenant, testDb, testRedisUrl } from "@aiaas/core/testing";
import { callerFor } from "./testing/api-caller.ts";

const redis = createRedis(testRedisUrl(), "producer", "trpc-tracing-test");
const exporter = new InMemorySpanExporter();
const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
beforeAll(async () => {
  provider.register();
  await redis.connect();
});
afterAll(async () => {
  await provider.shutdown();
  trace.disable();
  redis.disconnect();
});

describe("tRPC tracing", () => {
  it("gives every call a span with its procedure, tenant and outcome, and never its input", async () => {
    const tenant = await createTestTenant(testDb(), "traced");
    const { caller } = await callerFor(redis, { tenantId: tenant.id, role: "viewer" });
    await caller.apiKeys.list();
    await expect(caller.apiKeys.create({ name: "a name that must not be traced" })).rejects.toThrow();
    const spans = exporter.getFinishedSpans().filter((span) => span.name.startsWith("trpc "));
    expect(spans.map((span) => [span.name, span.attributes["aiaas.tenant.id"], span.attributes["error.type"]])).toEqual(
      [
        ["trpc apiKeys.list", tenant.id, undefined],
        ["trpc apiKeys.create", tenant.id, "FORBIDDEN"],
      ],
    );
    expect(JSON.stringify(spans.map((span) => span.attributes))).not.toContain("must not be traced");
  });
});
