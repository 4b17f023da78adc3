-- A session started by single sign-on records the tenant whose identity
-- provider signed the person in: that tenant's own two-factor requirement is
-- the IdP's to enforce (docs/sso.md).
ALTER TABLE "sessions" ADD COLUMN "sso_tenant_id" TEXT;
