// What row-level security costs the console: one tenant's API-key list, as
// the plain client reads it (filtered by tenant id) and as a tenant
// procedure does (tenantBoundDb: a transaction of its own as aiaas_tenant,
// with app.tenant_id set, under the tenant's policies). Added p50 at
// concurrency 1, queries/s at 8, ratios to plain, median over rounds.
//   npx tsx bench/tenant-bound-queries.ts [seconds, default 3] [rounds, default 3]
import { createPrismaClient, tenantBoundDb } from "@aiaas/db";
import { createApiKey } from "@aiaas/core/keys";
import { systemActor } from "@aiaas/core/platform";
import { createTenant } from "@aiaas/core/tenants";
import { machine, withBenchDatabase } from "./lib/bench-stack.ts";
import { interleavedRounds, ms, perSecond } from "./lib/rounds.ts";

const [seconds, rounds] = [Number(process.argv[2] ?? 3), Number(process.argv[3] ?? 3)];
const actor = { actor: systemActor("bench") };

await withBenchDatabase(async ({ databaseUrl }) => {
  const db = createPrismaClient({ databaseUrl, maxConnections: 8 });
  // Ten tenants of ten keys each: the list reads one tenant's ten among a hundred.
  const tenants = [];
  for (let t = 0; t < 10; t++) {
    const tenant = await db.$transaction((tx) => createTenant({ name: `Bench ${t}`, slug: `bench-${t}` }, actor, tx));
    for (let k = 0; k < 10; k++)
      await db.$transaction((tx) =>
        createApiKey({ tenantId: tenant.id, name: `k${k}` }, { ...actor, pepper: "bench-pepper-0123456789abcdef" }, tx),
      );
    tenants.push(tenant.id);
  }
  const [tenantId = ""] = tenants;
  const bound = tenantBoundDb(db, tenantId);
  const list = { where: { tenantId }, select: { id: true, name: true, prefix: true, createdAt: true } } as const;
  const runs = {
    plain: async () => (await db.apiKey.findMany(list), 1),
    "tenant-bound": async () => (await bound.apiKey.findMany(list), 1),
  };
  const result = await interleavedRounds(runs, [1, 8], seconds, rounds);
  const p50 = (name: string) => result.figure(1, name, (r) => r.p50);
  const rps = (name: string) => result.figure(8, name, (r) => r.rps);
  console.log(`\n${machine()}, ${rounds} rounds of ${seconds} s`);
  console.log("| client | p50 at 1 (ms) | ratio | queries/s at 8 | ratio |");
  console.log("| --- | ---: | ---: | ---: | ---: |");
  for (const name of Object.keys(runs))
    console.log(
      `| ${name} | ${ms(p50(name))} | ×${(p50(name) / p50("plain")).toFixed(2)} | ${perSecond(rps(name))} | ×${(rps(name) / rps("plain")).toFixed(2)} |`,
    );
  await db.$disconnect();
});
