import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { previewInvoice, usageCost } from "@aiaas/core/billing";
import { newId } from "@aiaas/core/platform";
import { testDb } from "@aiaas/core/testing";
import { createTestKey, createUnlimitedTenant, startGatewayStack, type GatewayStack } from "./testing/gateway-stack.ts";
import { longRun } from "./testing/long-run.ts";

const db = testDb();
let stack: GatewayStack;

beforeAll(async () => {
  stack = await startGatewayStack({ models: "kjv-embed-mini,kjv-gpt-mini" });
}, 120_000);
afterAll(async () => {
  await stack.close();
});

/** 10,000 in `npm run test:faults`; fewer in CI. */
const REQUESTS = longRun ? 10_000 : 2_500;
const CONCURRENCY = 48;

/** A deterministic stream of pseudo-random numbers in [0, 1), so a failure can be replayed. */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

describe("billing reconciliation", () => {
  it(`${REQUESTS.toLocaleString("en")} random requests across models with a mid-period price change: the invoice equals the request-level charges to the micro-unit`, async () => {
    const tenant = await createUnlimitedTenant("reconcile");
    const key = await createTestKey({ tenantId: tenant.id });
    // Announced ahead, as operators do: both gateways' directories know it before it takes effect.
    const changeAt = new Date(Date.now() + 5_000);
    for (const slug of ["kjv-embed-mini", "kjv-gpt-mini"]) {
      const model = await db.model.findUniqueOrThrow({ where: { slug } });
      await db.modelPrice.create({
        data: {
          id: newId("modelPrice"),
          modelId: model.id,
          inputMicrosPer1k: 137n,
          outputMicrosPer1k: 1_009n,
          effectiveFrom: changeAt,
        },
      });
    }

    const next = random(2026);
    let sent = 0;
    const statuses: number[] = [];
    async function client() {
      while (sent < REQUESTS) {
        sent++;
        const words = 1 + Math.floor(next() * 40);
        const text = Array.from({ length: words }, (_, i) => `word${(i * 7 + words) % 13}`).join(" ");
        const completion = next() < 0.2;
        const response = await fetch(`${stack.url}${completion ? "/v1/completions" : "/v1/embeddings"}`, {
          method: "POST",
          headers: { authorization: `Bearer ${key.secret}`, "content-type": "application/json" },
          body: JSON.stringify(
            completion
              ? { model: "kjv-gpt-mini", prompt: text, max_tokens: 1 + Math.floor(next() * 3) }
              : { model: "kjv-embed-mini", input: text },
          ),
        });
        await response.arrayBuffer();
        statuses.push(response.status);
      }
    }
    await Promise.all(Array.from({ length: CONCURRENCY }, client));
    expect(statuses.filter((status) => status === 200)).toHaveLength(REQUESTS);

    await expect
      .poll(() => db.ledgerEntry.count({ where: { tenantId: tenant.id, kind: "usage" } }), { timeout: 30_000 })
      .toBe(REQUESTS);

    // Each request's charge, reckoned here from its usage and the price in force when it came in:
    // the version's own if it has any (the int8 variants do), else the model's.
    const prices = await db.modelPrice.findMany({ orderBy: { effectiveFrom: "desc" } });
    const requests = await db.request.findMany({
      where: { tenantId: tenant.id },
      select: {
        id: true,
        modelId: true,
        modelVersionId: true,
        createdAt: true,
        inputTokens: true,
        outputTokens: true,
        images: true,
      },
    });
    expect(requests).toHaveLength(REQUESTS);
    const charged = new Map(
      (await db.ledgerEntry.findMany({ where: { tenantId: tenant.id } })).map((entry) => [entry.requestId, entry]),
    );
    let expected = 0n;
    const versionsUsed = new Set<string>();
    for (const request of requests) {
      const own = prices.some((p) => p.modelVersionId !== null && p.modelVersionId === request.modelVersionId);
      const price = prices.find(
        (p) =>
          p.modelId === request.modelId &&
          p.modelVersionId === (own ? request.modelVersionId : null) &&
          p.effectiveFrom <= request.createdAt,
      );
      if (!price) throw new Error(`no price for ${request.modelId}`);
      const cost = usageCost(price, request);
      expected += cost;
      versionsUsed.add(price.id);
      expect(charged.get(request.id)).toMatchObject({ amountMicros: cost, modelPriceId: price.id });
    }
    // The run straddled the change: both versions of both models were charged.
    expect(versionsUsed.size).toBe(4);

    const invoice = await previewInvoice(db, { tenantId: tenant.id });
    const usageLines = invoice.lines.filter((line) => line.kind === "usage");
    expect(usageLines).toHaveLength(4);
    expect(usageLines.reduce((sum, line) => sum + line.amountMicros, 0n)).toBe(expected);
    expect(usageLines.reduce((sum, line) => sum + line.requests, 0)).toBe(REQUESTS);
    expect(invoice.subtotalMicros).toBe(expected);
    expect(invoice.totalMicros).toBe(expected);
  }, 240_000);
});
