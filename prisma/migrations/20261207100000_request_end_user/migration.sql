-- OpenAI's `user` parameter, kept for the tenant's own analytics (who of its
-- end users made the request); the tenant's rows only, like the rest.
ALTER TABLE "requests" ADD COLUMN "end_user" TEXT;
CREATE INDEX "requests_tenant_id_end_user_idx" ON "requests"("tenant_id", "end_user");
