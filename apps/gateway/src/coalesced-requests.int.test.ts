import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRedis } from "@aiaas/core/platform";
import { InferenceClient, cancelKey, type GroupReceipt, type InferenceGroupJob } from "@aiaas/core/queue";
import { parseMasterKeys, TenantKeyring } from "@aiaas/core/crypto";
import { invalidateAuthCache, revokeApiKey } from "@aiaas/core/keys";
import { testContext, testDb, testRedisUrl } from "@aiaas/core/testing";
import { createTestKey, createUnlimitedTenant, startGatewayStack, type GatewayStack } from "./testing/gateway-stack.ts";
import { usageOf } from "./testing/usage-of.ts";

const db = testDb();
const redis = createRedis(testRedisUrl(), "client", "coalesced-requests-test");
let stack: GatewayStack;

beforeAll(async () => {
  // Groups of four, flushed when the fourth joins (the window only bounds a group that stays short). The worker is
  // stopped for a moment below: its heartbeat must outlast that.
  stack = await startGatewayStack({
    models: "kjv-gpt-mini",
    gatewayEnv: { GATEWAY_COALESCE_MAX: "4", GATEWAY_COALESCE_WINDOW_MS: "1000" },
    workerEnv: { HEARTBEAT_INTERVAL_MS: "5000" },
  });
}, 120_000);
afterAll(async () => {
  await stack.close();
  redis.disconnect();
});

async function tenantKey(label: string) {
  const tenant = await createUnlimitedTenant(label);
  const key = await createTestKey({ tenantId: tenant.id });
  return { tenantId: tenant.id, secret: key.secret, keyId: key.id };
}

/** Revokes a key as the console does: in Postgres, then every gateway and worker told (its queued requests too). */
async function revoke({ tenantId, keyId }: { tenantId: string; keyId: string }) {
  const revoked = await db.$transaction((tx) => revokeApiKey({ tenantId, keyId }, testContext, tx));
  await invalidateAuthCache(redis, { keyHash: revoked.keyHash, revoked: true });
}

const chat = (secret: string, body: Record<string, unknown>, signal?: AbortSignal) =>
  fetch(`${stack.url}/v1/chat/completions`, {
    method: "POST",
    signal,
    headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
    body: JSON.stringify({ model: "kjv-gpt-mini", messages: [{ role: "user", content: "In the beginning" }], ...body }),
  });

/**
 * Opens a stream, reads until its first text arrives, and hangs up. The worker is paused from the first text until
 * the gateway has asked it to stop: a busy machine could otherwise let it write all 200 tokens before the hang-up
 * reaches it, and the request would rightly be billed as answered.
 */
async function cutStream(secret: string) {
  const controller = new AbortController();
  const response = await chat(secret, { max_tokens: 200, stream: true }, controller.signal);
  const reader = response.body?.getReader();
  if (!reader) throw new Error("no stream");
  const decoder = new TextDecoder();
  let seen = "";
  while (!seen.includes('"content":"')) {
    const chunk = await reader.read();
    if (chunk.done) break;
    seen += decoder.decode(chunk.value as Uint8Array);
  }
  stack.worker.kill("SIGSTOP");
  try {
    controller.abort();
    const requestId = response.headers.get("x-request-id") ?? "";
    await expect.poll(() => redis.exists(cancelKey(stack.prefix, requestId)), { timeout: 10_000, interval: 5 }).toBe(1);
  } finally {
    stack.worker.kill("SIGCONT");
  }
  return response;
}

describe("coalesced requests of four tenants", () => {
  it("answer, bill and fail each member alone: one succeeds, one fails at the worker, one's key is revoked before it runs, one is cancelled mid-stream", async () => {
    const [busy, a, b, c, d] = await Promise.all(
      ["busy", "grouped-a", "grouped-b", "grouped-c", "grouped-d"].map(tenantKey),
    );
    if (!busy || !a || !b || !c || !d) throw new Error("no tenants");
    const queue = new InferenceClient(
      redis,
      stack.prefix,
      new TenantKeyring(db, parseMasterKeys(stack.masterKeys)),
    ).queue("kjv-gpt-mini");
    // The worker stops taking jobs for a moment; another tenant's request waits, so the model is busy at this
    // gateway and the next requests wait for company.
    stack.worker.kill("SIGSTOP");
    const blocker = chat(busy.secret, { max_tokens: 20 });
    const queued = async () => {
      const counts = await queue.getJobCounts("waiting", "prioritized");
      return (counts.waiting ?? 0) + (counts.prioritized ?? 0);
    };
    await expect.poll(queued, { timeout: 10_000, interval: 5 }).toBe(1);
    const answers = Promise.all([
      chat(a.secret, { max_tokens: 20 }),
      // Fits the gateway's checks, not the model's context (256 tokens): the worker refuses it.
      chat(c.secret, { max_tokens: 300 }),
      cutStream(b.secret),
      chat(d.secret, { max_tokens: 20 }),
    ]);
    // The four are queued as one job; then D's key is revoked, before any of them runs.
    await expect.poll(queued, { timeout: 10_000, interval: 5 }).toBe(2);
    await revoke(d);
    stack.worker.kill("SIGCONT");
    const [answered, failed, cut, refused] = await answers;
    expect((await blocker).status).toBe(200);
    const ids = [answered, failed, cut, refused].map((response) => response.headers.get("x-request-id") ?? "");
    const [idA, idC, idB, idD] = ids;

    // They travelled as one job.
    const groups = (await queue.getJobs(["completed", "active", "waiting", "prioritized"])).filter(
      (job) => job.name === "group",
    );
    expect(groups).toHaveLength(1);
    const [group] = groups;
    expect(new Set((group?.data as InferenceGroupJob).members.map(({ requestId }) => requestId))).toEqual(new Set(ids));
    expect(new Set((group?.data as InferenceGroupJob).members.map(({ tenantId }) => tenantId))).toEqual(
      new Set([a.tenantId, b.tenantId, c.tenantId, d.tenantId]),
    );

    // /metrics counts two jobs for five requests: the blocker alone, the four together.
    const metrics = await (await fetch(`${stack.internalUrl}/metrics`)).text();
    expect(metrics).toContain('aiaas_gateway_job_requests_sum{model="kjv-gpt-mini"} 5');
    expect(metrics).toContain('aiaas_gateway_job_requests_count{model="kjv-gpt-mini"} 2');

    // Each gets its own answer.
    expect(answered.status).toBe(200);
    const body = (await answered.json()) as {
      choices: { message: { content: string } }[];
      usage: { completion_tokens: number };
    };
    expect(body.choices[0]?.message.content.length).toBeGreaterThan(0);
    expect(failed.status).toBe(400);
    expect(await failed.json()).toMatchObject({ error: { code: "context_length_exceeded" } });
    expect(cut.status).toBe(200);
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ error: { code: "revoked_api_key" } });

    // Each its own usage and bill, under its own tenant.
    const [usageA, usageB, usageC, usageD] = await Promise.all([idA, idB, idC, idD].map((id) => usageOf(id ?? "")));
    expect(usageD).toMatchObject({ tenantId: d.tenantId, status: "failed", costMicros: 0n, outputTokens: 0 });
    expect(usageA).toMatchObject({
      tenantId: a.tenantId,
      status: "succeeded",
      outputTokens: body.usage.completion_tokens,
    });
    expect(usageC).toMatchObject({ tenantId: c.tenantId, status: "failed" });
    expect(await db.request.findUnique({ where: { id: idC ?? "" } })).toMatchObject({
      errorCode: "context_length_exceeded",
    });
    expect(usageC?.costMicros).toBe(0n);
    expect(usageB).toMatchObject({ tenantId: b.tenantId, status: "cancelled" });
    expect(usageB?.outputTokens).toBeGreaterThan(0);
    expect(usageB?.outputTokens).toBeLessThan(200);
    const ledger = await db.ledgerEntry.findMany({ where: { requestId: { in: ids } } });
    const charged = new Map(ledger.map((entry) => [entry.requestId, entry]));
    expect(charged.get(idA ?? "")?.tenantId).toBe(a.tenantId);
    expect(charged.get(idA ?? "")?.amountMicros).toBe(usageA?.costMicros);
    expect(charged.get(idB ?? "")?.tenantId).toBe(b.tenantId);
    expect(charged.get(idB ?? "")?.amountMicros).toBe(usageB?.costMicros);
    expect(charged.get(idC ?? "")?.amountMicros ?? 0n).toBe(0n);
    expect(charged.get(idD ?? "")?.amountMicros ?? 0n).toBe(0n);

    // The group's record holds each member's own outcome.
    await expect.poll(async () => (await queue.getJob(group?.id ?? ""))?.finishedOn, { timeout: 10_000 }).toBeDefined();
    const receipt = (await queue.getJob(group?.id ?? ""))?.returnvalue as GroupReceipt;
    const outcomes = new Map(receipt.members.map((member) => [member.id, member]));
    const failure = outcomes.get(idC ?? "");
    expect(failure && "failedReason" in failure ? failure.failedReason : "").toMatch(/^context_length_exceeded: /);
    const revokedOutcome = outcomes.get(idD ?? "");
    expect(revokedOutcome && "failedReason" in revokedOutcome ? revokedOutcome.failedReason : "").toMatch(
      /^revoked_api_key: /,
    );
    expect(outcomes.get(idA ?? "")).toMatchObject({ receipt: { usage: { completionTokens: usageA?.outputTokens } } });
    expect(outcomes.get(idB ?? "")).toMatchObject({ receipt: { usage: { completionTokens: usageB?.outputTokens } } });
    await queue.close();
  }, 60_000);
});
