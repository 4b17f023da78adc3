-- Cross-tenant paths get roles of their own (docs/database.md, "Roles and
-- row-level security"); the application role sees no tenant's rows at all.
--
-- aiaas_platform: the system's work that spans tenants by nature (the
-- gateway's key lookup by hash and usage batches, the workers' mail,
-- retention, billing runs and audit checkpoints, sign-up and invitations).
-- aiaas_app itself keeps no right on a table with a tenant: its logins read
-- a tenant's rows in that tenant's transaction (aiaas_tenant) or as one of
-- these roles, and every other attempt fails loudly.
-- aiaas_operator: the operator area and the CLI; every operator request is
-- audited by the control plane.
-- A process connects with one of them as its session role (the connection's
-- `options=-c role=…`); a tenant's transaction switches to aiaas_tenant
-- from any of them.
DO $$
BEGIN
  BEGIN
    CREATE ROLE aiaas_platform NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
  EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
  END;
  BEGIN
    CREATE ROLE aiaas_operator NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
  EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
  END;
END
$$;

-- The application's logins may become either role, but never hold their
-- rights (or their policies) without saying so: aiaas_app does not inherit
-- the roles granted to it. (Before PostgreSQL 16 this is the member's
-- attribute; from 16 on, each grant's INHERIT option, which follows it.)
ALTER ROLE aiaas_app NOINHERIT;
GRANT aiaas_platform, aiaas_operator TO aiaas_app;

GRANT USAGE ON SCHEMA public TO aiaas_platform, aiaas_operator;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO aiaas_platform, aiaas_operator;
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO aiaas_platform, aiaas_operator;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO aiaas_platform, aiaas_operator;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO aiaas_platform, aiaas_operator;
REVOKE UPDATE, DELETE, TRUNCATE ON "audit_events" FROM aiaas_platform, aiaas_operator;

DO $$
DECLARE
  t name;
BEGIN
  -- Every table under row-level security: those with a tenant, and users.
  FOR t IN
    SELECT c.relname FROM pg_class c
    WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r' AND c.relrowsecurity
  LOOP
    EXECUTE format('DROP POLICY IF EXISTS %I ON %I', t || '_application', t);
    -- Not even a query that would find nothing: the application role touching
    -- a tenant's table outside a tenant's transaction is an error, never an
    -- empty answer or an UPDATE of no rows that looks like success.
    IF t <> 'users' THEN
      EXECUTE format('REVOKE ALL ON %I FROM aiaas_app', t);
    END IF;
    EXECUTE format('CREATE POLICY %I ON %I TO aiaas_platform USING (true) WITH CHECK (true)', t || '_platform', t);
    EXECUTE format('CREATE POLICY %I ON %I TO aiaas_operator USING (true) WITH CHECK (true)', t || '_operator', t);
  END LOOP;
END
$$;

-- People are accounts, not a tenant's data: sign-in and the account page
-- read and change them as the application.
CREATE POLICY "users_application" ON "users" TO aiaas_app USING (true) WITH CHECK (true);
