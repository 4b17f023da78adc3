-- A tenant's transaction (aiaas_tenant, docs/database.md) reads the people
-- its own rows name: its members, whoever made or revoked one of its keys,
-- set one of its limits or sent one of its invitations. Nobody else, and
-- never a write: accounts are the application's (aiaas_app) to change.
GRANT SELECT ON "users" TO aiaas_tenant;
ALTER TABLE "users" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "users_application" ON "users" TO aiaas_app USING (true) WITH CHECK (true);
-- The subqueries run under the tenant's own policies: they see app.tenant_id's rows only.
CREATE POLICY "users_tenant" ON "users" FOR SELECT TO aiaas_tenant USING (
  EXISTS (SELECT 1 FROM "memberships" m WHERE m."user_id" = "users"."id")
  OR EXISTS (SELECT 1 FROM "api_keys" k WHERE k."created_by_id" = "users"."id" OR k."revoked_by_id" = "users"."id")
  OR EXISTS (SELECT 1 FROM "quota_overrides" q WHERE q."set_by_id" = "users"."id")
  OR EXISTS (SELECT 1 FROM "invitations" i WHERE i."inviter_id" = "users"."id")
);
