import { describe, expect, it } from "vitest";
import { createApiKey } from "@aiaas/core/keys";
import { systemActor } from "@aiaas/core/platform";
import { setTenantQuota } from "@aiaas/core/quota";
import { createTenant, setModelAccess } from "@aiaas/core/tenants";
import { expectBooksBalanced, faultRun, sleep, underLoad } from "./fault-books.ts";
import { echoChat } from "./steady-load.ts";

/**
 * Scale-out on loopback: two gateways and two workers for the model, one
 * Postgres and one Redis. Limits hold across gateways, the queue-depth gauge
 * rises and falls as KEDA reads it, and losing a gateway and a worker at once
 * loses no request and bills none twice.
 */
const actor = { actor: systemActor("scale-out") };
const run = faultRun(["scale-out"]);

/** What KEDA's query reads: sum(aiaas_gateway_requests_in_flight{model=...}), each gateway's requests queued or running. */
async function backlog(model: string) {
  let sum = 0;
  for (const url of run.stack.gateways.map((gateway) => `http://127.0.0.1:${gateway.internalPort}`)) {
    const page = await (await fetch(`${url}/metrics`)).text();
    const found = new RegExp(`^aiaas_gateway_requests_in_flight\\{model="${model}"\\} (\\d+)$`, "m").exec(page);
    sum += Number(found?.[1] ?? 0);
  }
  return sum;
}

describe("scale-out", () => {
  it("keeps a tenant's limit exact across two gateways: of 60 requests at once against 25 a minute, 25 pass", async () => {
    const { secret } = await run.stack.db.$transaction(async (tx) => {
      const tenant = await createTenant({ name: "Limited", plan: "enterprise" }, actor, tx);
      await setModelAccess({ tenant: tenant.id, model: "echo", enabled: true }, actor, tx);
      await setTenantQuota({ tenant: tenant.id, change: { rpm: 25 } }, actor, tx);
      return createApiKey({ tenantId: tenant.id, name: "limited" }, { ...actor, pepper: run.stack.pepper }, tx);
    });
    const urls = run.stack.urls();
    const statuses = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        echoChat(urls[i % urls.length] ?? "", secret).then((response) => response.status),
      ),
    );
    const counts = Object.fromEntries(
      [200, 429].map((status) => [status, statuses.filter((s) => s === status).length]),
    );
    run.report.push(`limit 25/min over two gateways, 60 at once: ${JSON.stringify(counts)}`);
    expect(counts).toEqual({ 200: 25, 429: 35 });
  }, 60_000);

  it("shows the backlog KEDA reads (requests in flight, over every gateway) while the workers are stopped, and 0 once they drain it", async () => {
    const [tenant] = run.stack.tenants;
    for (const worker of run.stack.workers) worker.kill("SIGSTOP");
    const urls = run.stack.urls();
    const answers = Array.from({ length: 30 }, (_, i) => echoChat(urls[i % urls.length] ?? "", tenant?.secret ?? ""));
    let peak = 0;
    for (let waited = 0; waited < 10_000 && peak < 30; waited += 200) {
      peak = Math.max(peak, await backlog("echo"));
      await sleep(200);
    }
    for (const worker of run.stack.workers) worker.kill("SIGCONT");
    let drainedAfter = Number.POSITIVE_INFINITY;
    const resumed = Date.now();
    for (let waited = 0; waited < 20_000; waited += 200) {
      if ((await backlog("echo")) === 0) {
        drainedAfter = Date.now() - resumed;
        break;
      }
      await sleep(200);
    }
    const statuses = await Promise.all(answers.map(async (answer) => (await answer).status));
    run.report.push(`backlog: peak ${peak} with the workers stopped; 0 within ${drainedAfter} ms of resuming them`);
    expect(peak).toBe(30);
    expect(drainedAfter).toBeLessThan(20_000);
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
  }, 60_000);

  it("kill -9 a gateway and a worker at once under load: what was answered is billed once, nothing else is charged", async () => {
    const result = await underLoad(run, "kill -9 a gateway and a worker", async () => {
      const [gateway] = run.stack.gateways;
      const [worker] = run.stack.workers;
      gateway?.kill("SIGKILL");
      worker?.kill("SIGKILL");
      await Promise.all([gateway?.exited, worker?.exited]);
      await sleep(1_000);
      await Promise.all([run.stack.restartGateway(0), run.stack.restartWorker(0)]);
    });
    expectBooksBalanced(run, result);
  }, 120_000);
});
