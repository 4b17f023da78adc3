-- Database roles and row-level security (docs/database.md, "Roles and row-level security").
--
-- aiaas_app: what gateways, workers, the console and the CLI connect as
-- (through a login role that is a member of it): no superuser, no
-- BYPASSRLS, no DDL, and the audit log is append-only for it (INSERT and
-- SELECT; the trigger refuses UPDATE, DELETE and TRUNCATE besides).
-- aiaas_tenant: what a tenant's transaction runs as (SET LOCAL ROLE, with
-- app.tenant_id set for the transaction): row-level security shows it that
-- tenant's rows only, whatever a query forgets to filter.
-- Roles belong to the server, not the database: made once, kept if present.
-- (Another database's migration may make them at the same moment: then theirs stands.)
DO $$
BEGIN
  BEGIN
    CREATE ROLE aiaas_app NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
  EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
  END;
  BEGIN
    CREATE ROLE aiaas_tenant NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
  EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
  END;
END
$$;

-- Nobody but the owner creates objects here.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO aiaas_app, aiaas_tenant;

-- The application: rows, not structure.
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO aiaas_app;
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO aiaas_app;
-- Tables later migrations make (as the same owner) are the application's too.
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO aiaas_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO aiaas_app;
REVOKE UPDATE, DELETE, TRUNCATE ON "audit_events" FROM aiaas_app;
-- The application switches to the tenant role inside a tenant's transaction.
GRANT aiaas_tenant TO aiaas_app;

-- A tenant's transaction: the shared catalogue, and its own rows of every
-- table that has a tenant (the audit log: reading and appending only).
GRANT SELECT ON "plans", "models", "model_versions", "model_prices" TO aiaas_tenant;

-- Row-level security on every table with a tenant. The tenant role sees the
-- rows of app.tenant_id only (none when it is not set); the application role
-- keeps every row for now (the cross-tenant paths: key lookups by hash, usage
-- batches, retention, billing runs, operators), until its paths move to
-- tenant transactions one by one. The owner (migrations) is not bound.
DO $$
DECLARE
  t text;
  tenant_of_row text;
BEGIN
  FOREACH t IN ARRAY ARRAY[
    'tenants',
    'free_allowance_claims',
    'outbox_emails',
    'memberships',
    'invitations',
    'api_keys',
    'quota_overrides',
    'tenant_models',
    'requests',
    'usage_events',
    'usage_dead_letters',
    'usage_daily',
    'tenant_data_keys',
    'audit_events',
    'billing_accounts',
    'ledger_entries',
    'meter_reports',
    'invoices',
    'invoice_lines'
  ] LOOP
    tenant_of_row := CASE WHEN t = 'tenants' THEN 'id' ELSE 'tenant_id' END;
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO aiaas_tenant', t);
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format(
      'CREATE POLICY %I ON %I TO aiaas_tenant USING (%I = current_setting(''app.tenant_id'', true)) WITH CHECK (%I = current_setting(''app.tenant_id'', true))',
      t || '_tenant', t, tenant_of_row, tenant_of_row);
    EXECUTE format('CREATE POLICY %I ON %I TO aiaas_app USING (true) WITH CHECK (true)', t || '_application', t);
  END LOOP;
END
$$;
REVOKE INSERT, DELETE ON "tenants" FROM aiaas_tenant;
REVOKE UPDATE, DELETE, TRUNCATE ON "audit_events" FROM aiaas_tenant;
