import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { testDb, testPepper } from "../testing/index.ts";
import { modelCatalogue } from "../models/model-catalogue.ts";
import { planCatalogue } from "./plan-catalogue.ts";
import { seedDemo } from "./seed-demo.ts";

const db = testDb();
const planSlugs = planCatalogue.map((plan) => plan.slug);
const modelSlugs = modelCatalogue.map((model) => model.slug);
afterAll(() => db.$disconnect());

/** Rows the seed owns; other test files create tenants in parallel, so count only these. */
const rowCounts = async (emails: string[], tenantSlug: string, tenantId: string) => ({
  users: await db.user.count({ where: { email: { in: emails } } }),
  accounts: await db.account.count({ where: { user: { email: { in: emails } } } }),
  tenants: await db.tenant.count({ where: { slug: tenantSlug } }),
  memberships: await db.membership.count({ where: { tenant: { slug: tenantSlug } } }),
  keys: await db.apiKey.count({ where: { tenant: { slug: tenantSlug } } }),
  auditEvents: await db.auditEvent.count({ where: { tenantId } }),
  // Other tests add plans and prices of their own: count the catalogue's.
  plans: await db.plan.count({ where: { slug: { in: planSlugs } } }),
  models: await db.model.count({ where: { slug: { in: modelSlugs } } }),
  prices: await db.modelPrice.count({ where: { model: { slug: { in: modelSlugs } }, effectiveFrom: new Date(0) } }),
});

describe("seedDemo", () => {
  it("is idempotent: a second run with the same credentials creates nothing and reuses the key", async () => {
    const suffix = randomBytes(4).toString("hex");
    const input = {
      operator: { email: `op-${suffix}@example.com`, password: "operator-password" },
      owner: { email: `owner-${suffix}@example.com`, password: "owner-password" },
      tenantSlug: `demo-${suffix}`,
      apiKey: null,
      pepper: testPepper,
    };
    const first = await seedDemo(input, db);
    expect(first.created).toEqual({ tenant: true, apiKey: true });
    const counts = () => rowCounts([input.operator.email, input.owner.email], input.tenantSlug, first.tenantId);
    const before = await counts();
    expect(before).toMatchObject({ users: 2, accounts: 2, tenants: 1, memberships: 1, keys: 1 });

    const second = await seedDemo({ ...input, apiKey: first.apiKey }, db);
    expect(second.created).toEqual({ tenant: false, apiKey: false });
    expect(second.apiKey).toBe(first.apiKey);
    expect(await counts()).toEqual(before);

    const owner = await db.user.findUniqueOrThrow({ where: { email: input.owner.email } });
    const membership = await db.membership.findFirstOrThrow({ where: { tenantId: first.tenantId, userId: owner.id } });
    expect(membership.role).toBe("owner");
    expect((await db.user.findUniqueOrThrow({ where: { email: input.operator.email } })).role).toBe("operator");
  });
});
