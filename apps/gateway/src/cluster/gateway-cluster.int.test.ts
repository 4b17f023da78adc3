import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createTestKey,
  createUnlimitedTenant,
  startGatewayStack,
  type GatewayStack,
} from "../testing/gateway-stack.ts";

let stack: GatewayStack;
let secret: string;

beforeAll(async () => {
  stack = await startGatewayStack({ models: "kjv-embed-mini", gatewayEnv: { GATEWAY_PROCESSES: "2" } });
  secret = (await createTestKey({ tenantId: (await createUnlimitedTenant("cluster")).id })).secret;
}, 120_000);
afterAll(async () => {
  await stack.close();
});

const readiness = async () => {
  const response = await fetch(`${stack.internalUrl}/readyz`);
  return { status: response.status, body: (await response.json()) as { processes: Record<string, unknown> } };
};
const embed = () =>
  fetch(`${stack.url}/v1/embeddings`, {
    method: "POST",
    headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
    body: JSON.stringify({ model: "kjv-embed-mini", input: "Let there be light" }),
  });

describe("GATEWAY_PROCESSES=2", () => {
  it("serves one port from two processes, sums their metrics, and replaces one that dies", async () => {
    const ready = await readiness();
    expect(ready.status).toBe(200);
    const before = Object.keys(ready.body.processes).map(Number);
    expect(before).toHaveLength(2);

    // New connections go round-robin: 20 requests on 20 connections reach both processes; /metrics counts all 20.
    const statuses = await Promise.all(Array.from({ length: 20 }, () => embed().then((response) => response.status)));
    expect(statuses).toEqual(Array.from({ length: 20 }, () => 200));
    const metrics = await (await fetch(`${stack.internalUrl}/metrics`)).text();
    const answered =
      /aiaas_gateway_http_request_duration_seconds_count\{route="\/v1\/embeddings",method="POST",status="200"\} (\d+)/.exec(
        metrics,
      );
    expect(Number(answered?.[1])).toBe(20);

    process.kill(before[0] ?? 0, "SIGKILL");
    // The other process keeps serving meanwhile (a connection to the dead one resets, as a client retries); a new one
    // takes the dead one's place.
    await expect
      .poll(
        () =>
          embed().then(
            (response) => response.status,
            () => 0,
          ),
        { timeout: 5_000 },
      )
      .toBe(200);
    const pids = async () => {
      const { status, body } = await readiness();
      return status === 200 ? Object.keys(body.processes).map(Number) : [];
    };
    await expect
      .poll(async () => (await pids()).length === 2 && !(await pids()).includes(before[0] ?? 0), {
        timeout: 20_000,
        interval: 250,
      })
      .toBe(true);
    const after = await pids();
    expect(after).not.toContain(before[0]);
    expect(after).toContain(before[1]);
  }, 60_000);
});
