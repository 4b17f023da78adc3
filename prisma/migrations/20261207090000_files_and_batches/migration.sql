-- The Files and Batches APIs (issue 24). Every table has a tenant and is under
-- row-level security like the others: the tenant role sees its own rows, the
-- platform role (batch leases across tenants, file expiry) and the operator
-- role see all, the application login none.

-- A batch line costs this percentage of its price version (half by default).
ALTER TABLE "model_prices" ADD COLUMN "batch_percent" INTEGER NOT NULL DEFAULT 50;
ALTER TABLE "model_prices" ADD CONSTRAINT "model_prices_batch_percent_range" CHECK ("batch_percent" BETWEEN 0 AND 100);

CREATE TABLE "files" (
    "id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "filename" TEXT NOT NULL,
    "bytes" INTEGER NOT NULL,
    "content" BYTEA NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMP(3),
    CONSTRAINT "files_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "files_tenant_id_created_at_idx" ON "files"("tenant_id", "created_at");
CREATE INDEX "files_expires_at_idx" ON "files"("expires_at");
ALTER TABLE "files" ADD CONSTRAINT "files_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "batches" (
    "id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "api_key_id" TEXT NOT NULL,
    "endpoint" TEXT NOT NULL,
    "input_file_id" TEXT NOT NULL,
    "completion_window" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "output_file_id" TEXT,
    "error_file_id" TEXT,
    "total" INTEGER NOT NULL DEFAULT 0,
    "completed" INTEGER NOT NULL DEFAULT 0,
    "failed" INTEGER NOT NULL DEFAULT 0,
    "metadata" JSONB,
    "errors" JSONB,
    "lease_owner" TEXT,
    "lease_until" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMP(3) NOT NULL,
    "in_progress_at" TIMESTAMP(3),
    "finalizing_at" TIMESTAMP(3),
    "completed_at" TIMESTAMP(3),
    "failed_at" TIMESTAMP(3),
    "expired_at" TIMESTAMP(3),
    "cancelling_at" TIMESTAMP(3),
    "cancelled_at" TIMESTAMP(3),
    CONSTRAINT "batches_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "batches_tenant_id_created_at_idx" ON "batches"("tenant_id", "created_at");
CREATE INDEX "batches_status_lease_until_idx" ON "batches"("status", "lease_until");
ALTER TABLE "batches" ADD CONSTRAINT "batches_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "batch_lines" (
    "batch_id" TEXT NOT NULL,
    "line" INTEGER NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "custom_id" TEXT NOT NULL,
    "request_id" TEXT,
    "status_code" INTEGER NOT NULL,
    "result" BYTEA NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "batch_lines_pkey" PRIMARY KEY ("batch_id", "line")
);
CREATE INDEX "batch_lines_tenant_id_idx" ON "batch_lines"("tenant_id");
ALTER TABLE "batch_lines" ADD CONSTRAINT "batch_lines_batch_id_fkey" FOREIGN KEY ("batch_id") REFERENCES "batches"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "batch_lines" ADD CONSTRAINT "batch_lines_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['files', 'batches', 'batch_lines'] LOOP
    EXECUTE format('REVOKE ALL ON %I FROM aiaas_app', t);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO aiaas_tenant', t);
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format(
      'CREATE POLICY %I ON %I TO aiaas_tenant USING ("tenant_id" = current_setting(''app.tenant_id'', true)) WITH CHECK ("tenant_id" = current_setting(''app.tenant_id'', true))',
      t || '_tenant', t);
    EXECUTE format('CREATE POLICY %I ON %I TO aiaas_platform USING (true) WITH CHECK (true)', t || '_platform', t);
    EXECUTE format('CREATE POLICY %I ON %I TO aiaas_operator USING (true) WITH CHECK (true)', t || '_operator', t);
  END LOOP;
END
$$;
