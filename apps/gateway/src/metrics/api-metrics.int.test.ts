import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createTestKey,
  createUnlimitedTenant,
  startGatewayStack,
  type GatewayStack,
} from "../testing/gateway-stack.ts";

let stack: GatewayStack;
beforeAll(async () => {
  stack = await startGatewayStack({ models: "kjv-gpt-mini" });
}, 120_000);
afterAll(() => stack.close());

/** One series' value from a Prometheus text page: the line that starts with `series`. */
async function sample(url: string, series: string) {
  const page = await (await fetch(`${url}/metrics`)).text();
  const line = page.split("\n").find((row) => row.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe("what the gateway and the worker count", () => {
  it("counts requests by route, model, status and reason, tokens, waits and first tokens; the worker its jobs by model and device", async () => {
    const tenant = await createUnlimitedTenant("metrics");
    const { secret } = await createTestKey({ tenantId: tenant.id });
    const chat = (key: string, stream: boolean) =>
      fetch(`${stack.url}/v1/chat/completions`, {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        body: JSON.stringify({
          model: "kjv-gpt-mini",
          messages: [{ role: "user", content: "In the beginning" }],
          max_tokens: 6,
          stream,
        }),
      });
    const answered = await chat(secret, false);
    const { usage } = (await answered.json()) as { usage: { prompt_tokens: number; completion_tokens: number } };
    await (await chat(secret, true)).text();
    expect((await chat("sk-not-a-key", false)).status).toBe(401);
    await fetch(`${stack.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
      body: JSON.stringify({ model: `no-such-model-${Date.now()}`, messages: [{ role: "user", content: "x" }] }),
    });

    const gateway = stack.internalUrl;
    const route = 'route="/v1/chat/completions"';
    expect(
      await sample(gateway, `aiaas_gateway_requests_total{${route},model="kjv-gpt-mini",status="200",reason=""}`),
    ).toBe(2);
    expect(
      await sample(gateway, `aiaas_gateway_requests_total{${route},model="",status="401",reason="invalid_api_key"}`),
    ).toBe(1);
    // A model nobody serves is counted without its name: callers cannot make series.
    const page = await (await fetch(`${gateway}/metrics`)).text();
    expect(page).not.toContain("no-such-model");
    expect(page).toMatch(
      /aiaas_gateway_requests_total\{route="\/v1\/chat\/completions",model="",status="404",reason="model_not_found"\} 1/,
    );
    expect(
      await sample(gateway, 'aiaas_gateway_tokens_total{model="kjv-gpt-mini",direction="output"}'),
    ).toBeGreaterThanOrEqual(usage.completion_tokens);
    expect(await sample(gateway, 'aiaas_gateway_tokens_total{model="kjv-gpt-mini",direction="input"}')).toBe(
      2 * usage.prompt_tokens,
    );
    expect(await sample(gateway, 'aiaas_gateway_queue_wait_seconds_count{model="kjv-gpt-mini"}')).toBe(2);
    expect(await sample(gateway, 'aiaas_gateway_time_to_first_token_seconds_count{model="kjv-gpt-mini"}')).toBe(1);
    expect(await sample(gateway, 'aiaas_gateway_admission_duration_seconds_count{outcome="admitted"}')).toBe(2);

    const worker = `http://127.0.0.1:${stack.worker.port}`;
    expect(await sample(worker, 'aiaas_worker_jobs_total{model="kjv-gpt-mini",outcome="completed",device="cpu"}')).toBe(
      2,
    );
    expect(
      await sample(worker, 'aiaas_worker_inference_duration_seconds_count{model="kjv-gpt-mini",outcome="completed"}'),
    ).toBe(2);
    expect(await sample(worker, 'aiaas_worker_device_info{device="cpu"}')).toBe(1);
    const batches = await sample(worker, 'aiaas_worker_batches_total{model="kjv-gpt-mini"}');
    expect(batches).toBeGreaterThan(0);
    // The histogram holds every batch by its size: as many as the counter, and their items.
    expect(await sample(worker, 'aiaas_worker_batch_size_count{model="kjv-gpt-mini"}')).toBe(batches);
    expect(await sample(worker, 'aiaas_worker_batch_size_sum{model="kjv-gpt-mini"}')).toBe(
      await sample(worker, 'aiaas_worker_batched_items_total{model="kjv-gpt-mini"}'),
    );
  }, 60_000);
});
