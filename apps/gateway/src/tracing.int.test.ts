import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOtlpReceiver, type ReceivedSpan } from "@aiaas/core/testing";
import { createTestKey, createUnlimitedTenant, startGatewayStack, type GatewayStack } from "./testing/gateway-stack.ts";

let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;
let stack: GatewayStack;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  // Exported within 100 ms of ending, to a receiver on loopback (off when the endpoint is unset: every other test).
  const otel = { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_BSP_SCHEDULE_DELAY: "100" };
  stack = await startGatewayStack({ models: "kjv-gpt-mini", gatewayEnv: otel, workerEnv: otel });
}, 120_000);
afterAll(async () => {
  await stack.close();
  await receiver.close();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The spans of one trace once `done` holds of them, or whatever arrived within 15 s. */
async function traceWhere(traceId: () => string | undefined, done: (spans: ReceivedSpan[]) => boolean) {
  for (let waited = 0; waited < 15_000; waited += 100) {
    const id = traceId();
    const spans = receiver.spans.filter((span) => span.traceId === id);
    if (id && done(spans)) return spans;
    await sleep(100);
  }
  return receiver.spans.filter((span) => span.traceId === traceId());
}

describe("tracing", () => {
  it("follows one request through gateway, queue and worker in one connected trace, without its text", async () => {
    const tenant = await createUnlimitedTenant("traced");
    const { secret } = await createTestKey({ tenantId: tenant.id });
    const verse = `Secret verse ${randomBytes(6).toString("hex")}`;
    const response = await fetch(`${stack.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "kjv-gpt-mini", messages: [{ role: "user", content: verse }], max_tokens: 8 }),
    });
    expect(response.status).toBe(200);
    const answer = (await response.json()) as {
      choices: { message: { content: string } }[];
      usage: { prompt_tokens: number; completion_tokens: number };
    };
    const requestId = response.headers.get("x-request-id");

    const inferenceOf = (spans: ReceivedSpan[]) => spans.find((span) => span.name === "chat kjv-gpt-mini");
    const traceId = () => receiver.spans.find((span) => span.attributes["aiaas.request.id"] === requestId)?.traceId;
    const spans = await traceWhere(
      traceId,
      (found) =>
        ["aiaas-gateway", "aiaas-worker"].every((service) => found.some((span) => span.service === service)) &&
        found.some((span) => span.name === "usage record") &&
        inferenceOf(found) !== undefined,
    );

    // One trace: a single root, the gateway's request span, and every span reaches it through its parents.
    const roots = spans.filter((span) => !span.parentSpanId);
    expect(roots.map((span) => [span.service, span.name])).toEqual([["aiaas-gateway", "request"]]);
    const byId = new Map(spans.map((span) => [span.spanId, span]));
    const rootOf = (span: ReceivedSpan): ReceivedSpan | undefined =>
      span.parentSpanId ? byId.get(span.parentSpanId) && rootOf(byId.get(span.parentSpanId) as ReceivedSpan) : span;
    for (const span of spans) expect(rootOf(span), `${span.service} ${span.name} reaches the root`).toBe(roots[0]);

    // The worker's spans: the wait in the queue, then the model's work (GenAI semantic conventions).
    const inference = inferenceOf(spans);
    expect(inference).toMatchObject({
      service: "aiaas-worker",
      attributes: {
        "gen_ai.operation.name": "chat",
        "gen_ai.provider.name": "aiaas",
        "gen_ai.request.model": "kjv-gpt-mini",
        "gen_ai.request.max_tokens": 8,
        "gen_ai.usage.input_tokens": answer.usage.prompt_tokens,
        "gen_ai.usage.output_tokens": answer.usage.completion_tokens,
        "gen_ai.response.finish_reasons": ["length"],
        "aiaas.tenant.id": tenant.id,
        "aiaas.request.id": requestId,
      },
    });
    expect(inference?.attributes["aiaas.queue.wait_ms"]).toBeGreaterThanOrEqual(0);
    const wait = spans.find((span) => span.name === "queue wait");
    expect(wait).toMatchObject({ service: "aiaas-worker", parentSpanId: inference?.parentSpanId });
    expect(spans.find((span) => span.name === "usage record")).toMatchObject({
      service: "aiaas-gateway",
      attributes: { "aiaas.tenant.id": tenant.id, "gen_ai.usage.output_tokens": answer.usage.completion_tokens },
    });

    // Neither the prompt nor the answer leaves in a span.
    const exported = receiver.bodies.join("\n");
    expect(exported).not.toContain(verse);
    const words = answer.choices[0]?.message.content.trim() ?? "";
    if (words.length >= 8) expect(exported).not.toContain(words);
  }, 60_000);
});
