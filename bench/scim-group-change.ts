// What an IdP's group change costs as the group grows: a SCIM PATCH that
// adds one person to a group and the next that takes them out again, on a
// group of 10 and on one of 1,000 (the same tenant, SSO role mapping on).
// Only the person who came or went is re-derived, so the ratio should stay
// near the cost of listing the bigger group back (the response holds its
// members), far from 100×. Concurrency 1, interleaved rounds, medians.
//   npx tsx bench/scim-group-change.ts [seconds, default 3] [rounds, default 3] [large group, default 1000]
import { createPrismaClient } from "@aiaas/db";
import { createRedis, newId, systemActor } from "@aiaas/core/platform";
import { createScimToken, handleScimRequest } from "@aiaas/core/scim";
import { createTenant } from "@aiaas/core/tenants";
import { machine, withBenchDatabase } from "./lib/bench-stack.ts";
import { interleavedRounds, ms } from "./lib/rounds.ts";

const [seconds, rounds, large] = [
  Number(process.argv[2] ?? 3),
  Number(process.argv[3] ?? 3),
  Number(process.argv[4] ?? 1000),
];
const pepper = "bench-pepper-0123456789abcdef";
const baseUrl = "http://localhost:3000";
const ctx = { actor: systemActor("bench") };
const domain = "bench.example";

await withBenchDatabase(async ({ databaseUrl, redisUrl }) => {
  const db = createPrismaClient({ databaseUrl, maxConnections: 8 });
  const redis = createRedis(redisUrl, "client", "bench-scim");
  await redis.connect();
  const tenant = await db.$transaction((tx) => createTenant({ name: "Bench", slug: "bench" }, ctx, tx));
  await db.ssoDomain.create({
    data: { id: newId("ssoDomain"), tenantId: tenant.id, domain, token: "t", verifiedAt: new Date() },
  });
  const { secret } = await db.$transaction((tx) =>
    createScimToken({ tenantId: tenant.id, name: "bench", createdById: null, pepper }, ctx, tx),
  );
  const scim = async (method: string, path: string, body: unknown) => {
    const response = await handleScimRequest(
      new Request(`${baseUrl}/api/scim/v2${path}`, {
        method,
        headers: { authorization: `Bearer ${secret}`, "content-type": "application/scim+json" },
        body: JSON.stringify(body),
      }),
      { db, redis, pepper, baseUrl },
    );
    const answer = (await response.json()) as { id: string };
    if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(answer)}`);
    return answer.id;
  };
  const provision = async (login: string) =>
    scim("POST", "/Users", {
      userName: `${login}@${domain}`,
      emails: [{ value: `${login}@${domain}`, primary: true }],
    });
  const people: string[] = [];
  for (let i = 0; i < large; i += 8) {
    const batch = Array.from({ length: Math.min(8, large - i) }, (_, j) => provision(`p${i + j}`));
    people.push(...(await Promise.all(batch)));
  }
  const groupOf = (name: string, size: number) =>
    scim("POST", "/Groups", { displayName: name, members: people.slice(0, size).map((value) => ({ value })) });
  const groups = { small: await groupOf("small", 10), large: await groupOf("large", large) };
  const toggling = { small: await provision("toggle-small"), large: await provision("toggle-large") };
  const inside = { small: false, large: false };
  const toggle = (which: "small" | "large") => async () => {
    const person = toggling[which];
    const op = inside[which]
      ? { op: "remove", path: `members[value eq "${person}"]` }
      : { op: "add", path: "members", value: [{ value: person }] };
    await scim("PATCH", `/Groups/${groups[which]}`, { Operations: [op] });
    inside[which] = !inside[which];
    return 1;
  };
  const small = "group of 10";
  const big = `group of ${large}`;
  const result = await interleavedRounds({ [small]: toggle("small"), [big]: toggle("large") }, [1], seconds, rounds, {
    warmUp: 10,
  });
  const p50 = (name: string) => result.figure(1, name, (r) => r.p50);
  console.log(`\n${machine()}, ${rounds} rounds of ${seconds} s, one person added or removed per PATCH`);
  console.log("| group | PATCH p50 (ms) | ratio |");
  console.log("| --- | ---: | ---: |");
  for (const name of [small, big])
    console.log(`| ${name} | ${ms(p50(name))} | ${(p50(name) / p50(small)).toFixed(2)} |`);
  redis.disconnect();
  await db.$disconnect();
});
