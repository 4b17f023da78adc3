-- SCIM 2.0 provisioning per tenant (issue 26): bearer tokens (hashed like API
-- keys), and the users and groups the tenant's IdP provisions. Tenant rows
-- under row-level security like the others.

CREATE TABLE "scim_tokens" (
    "id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "token_hash" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "last4" TEXT NOT NULL,
    "created_by_id" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMP(3),
    "revoked_at" TIMESTAMP(3),
    CONSTRAINT "scim_tokens_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "scim_tokens_token_hash_key" ON "scim_tokens"("token_hash");
CREATE INDEX "scim_tokens_tenant_id_idx" ON "scim_tokens"("tenant_id");
ALTER TABLE "scim_tokens" ADD CONSTRAINT "scim_tokens_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "directory_users" (
    "id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "user_name" TEXT NOT NULL,
    "external_id" TEXT,
    "display_name" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "directory_users_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "directory_users_tenant_id_user_name_key" ON "directory_users"("tenant_id", "user_name");
CREATE UNIQUE INDEX "directory_users_tenant_id_user_id_key" ON "directory_users"("tenant_id", "user_id");
CREATE INDEX "directory_users_user_id_idx" ON "directory_users"("user_id");
ALTER TABLE "directory_users" ADD CONSTRAINT "directory_users_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "directory_users" ADD CONSTRAINT "directory_users_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "directory_groups" (
    "id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "display_name" TEXT NOT NULL,
    "external_id" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "directory_groups_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "directory_groups_tenant_id_display_name_key" ON "directory_groups"("tenant_id", "display_name");
ALTER TABLE "directory_groups" ADD CONSTRAINT "directory_groups_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "directory_group_members" (
    "group_id" TEXT NOT NULL,
    "directory_user_id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    CONSTRAINT "directory_group_members_pkey" PRIMARY KEY ("group_id", "directory_user_id")
);
CREATE INDEX "directory_group_members_directory_user_id_idx" ON "directory_group_members"("directory_user_id");
CREATE INDEX "directory_group_members_tenant_id_idx" ON "directory_group_members"("tenant_id");
ALTER TABLE "directory_group_members" ADD CONSTRAINT "directory_group_members_group_id_fkey" FOREIGN KEY ("group_id") REFERENCES "directory_groups"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "directory_group_members" ADD CONSTRAINT "directory_group_members_directory_user_id_fkey" FOREIGN KEY ("directory_user_id") REFERENCES "directory_users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['scim_tokens', 'directory_users', 'directory_groups', 'directory_group_members'] LOOP
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
