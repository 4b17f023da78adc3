-- AlterTable
ALTER TABLE "tenant_data_keys" ADD COLUMN     "retired_at" TIMESTAMP(3),
ADD COLUMN     "seal_count" BIGINT NOT NULL DEFAULT 0;
