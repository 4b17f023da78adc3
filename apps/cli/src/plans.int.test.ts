import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { newId } from "@aiaas/core/platform";
import { testDb } from "@aiaas/core/testing";
import { aiaas } from "@aiaas/core/testing";

const db = testDb();

describe("aiaas plans", () => {
  it("sets a plan's terms, audited, and lists them", async () => {
    const slug = `cli-${randomBytes(3).toString("hex")}`;
    await db.plan.create({ data: { id: newId("plan"), slug, name: "CLI plan", prepaid: true } });
    const set = await aiaas([
      "plans",
      "set",
      slug,
      "--price-month",
      "49",
      "--included",
      "10",
      "--no-prepaid",
      "--no-on-sale",
      "--stripe-price",
      "price_cli123",
    ]);
    expect(set.stderr).toBe("");
    expect(set.stdout).toContain(`Set the terms of plan ${slug}.`);
    expect(await db.plan.findUniqueOrThrow({ where: { slug } })).toMatchObject({
      priceMonthlyMicros: 49_000_000n,
      includedUsageMicros: 10_000_000n,
      prepaid: false,
      active: false,
      stripePriceId: "price_cli123",
    });
    const event = await db.auditEvent.findFirstOrThrow({
      where: { action: "plan.terms.set", metadata: { path: ["plan"], equals: slug } },
    });
    expect(event.metadata).toMatchObject({
      before: { prepaid: true },
      after: { prepaid: false, priceMonthlyMicros: "49000000" },
    });

    const list = await aiaas(["--json", "plans", "list"]);
    expect(JSON.parse(list.stdout)).toContainEqual(
      expect.objectContaining({ plan: slug, "per month": "$49.00", payment: "invoiced", "on sale": false }),
    );
  });

  it("creates a plan with custom terms, once", async () => {
    const slug = `custom-${randomBytes(3).toString("hex")}`;
    const created = await aiaas([
      "plans",
      "create",
      slug,
      "--name",
      "Acme custom",
      "--price-month",
      "500",
      "--included",
      "450",
    ]);
    expect(created.stderr).toBe("");
    expect(created.stdout).toContain(`Created plan ${slug}; it has no limits until you set them.`);
    expect(await db.plan.findUniqueOrThrow({ where: { slug } })).toMatchObject({
      name: "Acme custom",
      priceMonthlyMicros: 500_000_000n,
      includedUsageMicros: 450_000_000n,
      prepaid: false,
      limitRpm: null,
    });
    expect(
      await db.auditEvent.count({ where: { action: "plan.create", metadata: { path: ["slug"], equals: slug } } }),
    ).toBe(1);
    const again = await aiaas(["plans", "create", slug, "--name", "Again"]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`There is already a plan "${slug}".`);
  });

  it("explains what is wrong", async () => {
    const nothing = await aiaas(["plans", "set", "pro"]);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toMatch(/nothing to set/);
    const price = await aiaas(["plans", "set", "pro", "--stripe-price", "prod_123"]);
    expect(price.code).toBe(2);
    expect(price.stderr).toMatch(/stripePriceId: a Stripe price id starts with price_/);
    const missing = await aiaas(["plans", "set", "no-such-plan", "--price-month", "1"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/plan "no-such-plan"/);
  });
});
