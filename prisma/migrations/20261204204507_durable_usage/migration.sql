-- DropIndex
DROP INDEX "requests_tenant_id_idempotency_key_key";

-- CreateTable
CREATE TABLE "usage_dead_letters" (
    "id" TEXT NOT NULL,
    "request_id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "record" JSONB NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "usage_dead_letters_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "usage_dead_letters_created_at_idx" ON "usage_dead_letters"("created_at");

-- CreateIndex
CREATE INDEX "requests_tenant_id_idempotency_key_idx" ON "requests"("tenant_id", "idempotency_key");
