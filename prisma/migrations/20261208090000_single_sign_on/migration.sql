-- Single sign-on per tenant (issue 26): a tenant's identity provider and the
-- email domains it proves it owns. Both are tenant rows under row-level
-- security like the others; sign-in looks a domain up across tenants as the
-- platform role.

CREATE TYPE "sso_protocol" AS ENUM ('oidc', 'saml');

CREATE TABLE "sso_connections" (
    "id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "protocol" "sso_protocol" NOT NULL,
    "issuer" TEXT NOT NULL,
    "client_id" TEXT,
    "client_secret" BYTEA,
    "scopes" TEXT NOT NULL DEFAULT 'openid email profile',
    "email_claim" TEXT NOT NULL DEFAULT 'email',
    "groups_claim" TEXT NOT NULL DEFAULT 'groups',
    "sso_url" TEXT,
    "idp_certificates" TEXT,
    "role_mapping" JSONB NOT NULL DEFAULT '{}',
    "default_role" "tenant_role",
    "enforced" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "sso_connections_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "sso_connections_tenant_id_key" ON "sso_connections"("tenant_id");
ALTER TABLE "sso_connections" ADD CONSTRAINT "sso_connections_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "sso_domains" (
    "id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "domain" TEXT NOT NULL,
    "token" TEXT NOT NULL,
    "verified_at" TIMESTAMP(3),
    "checked_at" TIMESTAMP(3),
    "last_error" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "sso_domains_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "sso_domains_tenant_id_domain_key" ON "sso_domains"("tenant_id", "domain");
CREATE INDEX "sso_domains_domain_idx" ON "sso_domains"("domain");
-- One tenant at most owns a domain: the first to prove it.
CREATE UNIQUE INDEX "sso_domains_verified_domain_key" ON "sso_domains"("domain") WHERE "verified_at" IS NOT NULL;
ALTER TABLE "sso_domains" ADD CONSTRAINT "sso_domains_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['sso_connections', 'sso_domains'] LOOP
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
