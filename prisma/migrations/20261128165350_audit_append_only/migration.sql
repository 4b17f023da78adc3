-- DropForeignKey
ALTER TABLE "audit_events" DROP CONSTRAINT "audit_events_tenant_id_fkey";

-- AlterTable
ALTER TABLE "audit_events" ADD COLUMN     "request_id" TEXT;

-- The audit log is append-only: refuse UPDATE, DELETE and TRUNCATE.
CREATE FUNCTION "audit_events_refuse_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_events is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER "audit_events_no_update_or_delete"
  BEFORE UPDATE OR DELETE ON "audit_events"
  FOR EACH ROW EXECUTE FUNCTION "audit_events_refuse_change"();

CREATE TRIGGER "audit_events_no_truncate"
  BEFORE TRUNCATE ON "audit_events"
  FOR EACH STATEMENT EXECUTE FUNCTION "audit_events_refuse_change"();
