import type { Db } from "@aiaas/db";
import { systemActor } from "../actor.ts";
import { newId } from "../ids.ts";
import { hashApiKey } from "../keys/api-key-hash.ts";
import { createApiKey } from "../keys/create-api-key.ts";
import { createTenant } from "../tenants/create-tenant.ts";
import { seedCatalogue } from "./seed-catalogue.ts";
import { seedUser } from "./seed-user.ts";

export interface DemoSeedInput {
  operator: { email: string; password: string };
  owner: { email: string; password: string };
  tenantSlug: string;
  /** The demo key from an earlier run: reused when it is still active. */
  apiKey: string | null;
  pepper: string;
}

export interface DemoSeedResult {
  tenantId: string;
  apiKey: string;
  created: { tenant: boolean; apiKey: boolean };
}

const ctx = { actor: systemActor("seed") };

/**
 * Idempotent demo data for local use: catalogue, an operator, a demo tenant
 * with its owner, and one demo API key. Running it again creates nothing new.
 */
export async function seedDemo(input: DemoSeedInput, db: Db): Promise<DemoSeedResult> {
  // Up to four scrypt hashes and checks run inside: seconds on a busy machine, over Prisma's default 5 s.
  return db.$transaction(
    async (tx) => {
      await seedCatalogue(tx);
      await seedUser({ ...input.operator, name: "Platform Operator", role: "operator" }, tx);
      const owner = await seedUser({ ...input.owner, name: "Demo Owner", role: "user" }, tx);

      const existingTenant = await tx.tenant.findUnique({ where: { slug: input.tenantSlug } });
      const tenant =
        existingTenant ??
        (await createTenant({ name: "Demo", slug: input.tenantSlug, ownerUserId: owner.id }, ctx, tx));
      await tx.membership.upsert({
        where: { tenantId_userId: { tenantId: tenant.id, userId: owner.id } },
        update: {},
        create: { id: newId("membership"), tenantId: tenant.id, userId: owner.id, role: "owner" },
      });

      const reusable =
        input.apiKey &&
        (await tx.apiKey.findFirst({
          where: { tenantId: tenant.id, keyHash: hashApiKey(input.apiKey, input.pepper), revokedAt: null },
          select: { id: true },
        }));
      const apiKey = reusable
        ? (input.apiKey as string)
        : (
            await createApiKey(
              { tenantId: tenant.id, name: "Demo key", createdById: owner.id },
              { ...ctx, pepper: input.pepper },
              tx,
            )
          ).secret;

      return { tenantId: tenant.id, apiKey, created: { tenant: !existingTenant, apiKey: !reusable } };
    },
    { timeout: 60_000 },
  );
}
