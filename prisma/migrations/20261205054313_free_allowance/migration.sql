-- AlterTable
ALTER TABLE "tenants" ADD COLUMN     "free_allowance" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "free_allowance_claims" (
    "person_key" TEXT NOT NULL,
    "user_id" TEXT,
    "tenant_id" TEXT,
    "claimed_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "free_allowance_claims_pkey" PRIMARY KEY ("person_key")
);

-- CreateIndex
CREATE UNIQUE INDEX "free_allowance_claims_user_id_key" ON "free_allowance_claims"("user_id");

-- CreateIndex
CREATE UNIQUE INDEX "free_allowance_claims_tenant_id_key" ON "free_allowance_claims"("tenant_id");

-- AddForeignKey
ALTER TABLE "free_allowance_claims" ADD CONSTRAINT "free_allowance_claims_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "free_allowance_claims" ADD CONSTRAINT "free_allowance_claims_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Backfill: each person's first organisation (by its first owner) holds their free allowance;
-- organisations with no owner were made by operators and keep theirs.
WITH owners AS (
    SELECT DISTINCT ON (m.tenant_id) m.tenant_id, m.user_id
    FROM "memberships" m WHERE m.role = 'owner'
    ORDER BY m.tenant_id, m.created_at, m.id
), firsts AS (
    SELECT DISTINCT ON (o.user_id) o.user_id, o.tenant_id
    FROM owners o JOIN "tenants" t ON t.id = o.tenant_id
    ORDER BY o.user_id, t.created_at, t.id
)
INSERT INTO "free_allowance_claims" ("person_key", "user_id", "tenant_id")
SELECT lower(regexp_replace(u.email, '\+[^@]*@', '@')), f.user_id, f.tenant_id
FROM firsts f JOIN "users" u ON u.id = f.user_id
ON CONFLICT DO NOTHING;

UPDATE "tenants" t SET "free_allowance" = true
WHERE EXISTS (SELECT 1 FROM "free_allowance_claims" c WHERE c.tenant_id = t.id)
   OR NOT EXISTS (SELECT 1 FROM "memberships" m WHERE m.tenant_id = t.id AND m.role = 'owner');
