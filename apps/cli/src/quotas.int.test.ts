import { describe, expect, it } from "vitest";
import { createApiKey } from "@aiaas/core/keys";
import { createTestTenant, testContext, testDb, testPepper } from "@aiaas/core/testing";
import { aiaas } from "@aiaas/core/testing";

const db = testDb();

describe("aiaas quotas", () => {
  it("overrides a tenant's plan limits, audited, and shows them with the plan's others", async () => {
    const tenant = await createTestTenant(db, "quota");
    const set = await aiaas([
      "quotas",
      "set",
      "--tenant",
      tenant.slug,
      "--rpm",
      "600",
      "--budget-month",
      "25",
      "--reason",
      "launch",
    ]);
    expect(set.stderr).toBe("");
    expect(set.code).toBe(0);
    expect(await db.quotaOverride.findUnique({ where: { tenantId: tenant.id } })).toMatchObject({
      limitRpm: 600,
      limitBudgetMicros: 25_000_000n,
      limitBudgetPeriod: "month",
      reason: "launch",
    });
    const audit = await db.auditEvent.findFirstOrThrow({
      where: { tenantId: tenant.id, action: "quota.override.set" },
    });
    expect(audit.metadata).toMatchObject({
      before: { limitRpm: null },
      after: { limitRpm: 600, limitBudgetMicros: "25000000" },
    });

    const shown = JSON.parse((await aiaas(["quotas", "show", "--tenant", tenant.slug, "--json"])).stdout) as {
      limit: string;
      value: unknown;
    }[];
    // The free plan's tokens per minute stay; the override's requests per minute and budget replace the plan's.
    expect(shown).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ limit: "requests per minute", value: 600 }),
        expect.objectContaining({ limit: "tokens per minute", value: 40_000 }),
        expect.objectContaining({ limit: "budget per month", value: "$25.00" }),
      ]),
    );

    const cleared = await aiaas(["quotas", "set", "--tenant", tenant.slug, "--clear", "rpm"]);
    expect(cleared.code).toBe(0);
    expect((await db.quotaOverride.findUniqueOrThrow({ where: { tenantId: tenant.id } })).limitRpm).toBeNull();
  });

  it("sets a key's limits only within the tenant's, and explains a refusal", async () => {
    const tenant = await createTestTenant(db, "keyq");
    const { apiKey } = await db.$transaction((tx) =>
      createApiKey({ tenantId: tenant.id, name: "limited" }, { ...testContext, pepper: testPepper }, tx),
    );
    const ok = await aiaas([
      "quotas",
      "set",
      "--tenant",
      tenant.slug,
      "--key",
      apiKey.id,
      "--rpm",
      "10",
      "--concurrent",
      "2",
    ]);
    expect(ok.code).toBe(0);
    expect(await db.apiKey.findUniqueOrThrow({ where: { id: apiKey.id } })).toMatchObject({
      limitRpm: 10,
      limitConcurrent: 2,
    });
    // The free plan allows 60 requests a minute: a key cannot have more.
    const tooLoose = await aiaas(["quotas", "set", "--tenant", tenant.slug, "--key", apiKey.id, "--rpm", "1000"]);
    expect(tooLoose.code).toBe(1);
    expect(tooLoose.stderr).toMatch(/requests per minute \(1000\) cannot exceed the organization's \(60\)/);
    expect((await db.apiKey.findUniqueOrThrow({ where: { id: apiKey.id } })).limitRpm).toBe(10);
  });

  it("refuses flags that make no sense, with one line and exit 2", async () => {
    const tenant = await createTestTenant(db, "badq");
    const none = await aiaas(["quotas", "set", "--tenant", tenant.slug]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/nothing to set/);
    const bad = await aiaas(["quotas", "set", "--tenant", tenant.slug, "--rpm", "-3"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--rpm: "-3" is not a positive whole number/);
  });
});
