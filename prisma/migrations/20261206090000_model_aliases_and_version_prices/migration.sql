-- Versions and aliases (docs/models.md, "Versions and aliases").
-- A model's public names are aliases to versions: the bare id is the alias
-- "default", `id:tag` the alias "tag"; promoting or rolling back moves one
-- row. A version may have its own prices (a cheaper int8 variant); usage
-- records the version that answered.

CREATE TABLE "model_aliases" (
    "model_id" TEXT NOT NULL,
    "alias" TEXT NOT NULL,
    "version_id" TEXT NOT NULL,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "model_aliases_pkey" PRIMARY KEY ("model_id","alias")
);
CREATE INDEX "model_aliases_version_id_idx" ON "model_aliases"("version_id");
ALTER TABLE "model_aliases" ADD CONSTRAINT "model_aliases_model_id_fkey" FOREIGN KEY ("model_id") REFERENCES "models"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "model_aliases" ADD CONSTRAINT "model_aliases_version_id_fkey" FOREIGN KEY ("version_id") REFERENCES "model_versions"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- The current version becomes the default alias.
INSERT INTO "model_aliases" ("model_id", "alias", "version_id")
SELECT "model_id", 'default', "id" FROM "model_versions" WHERE "is_current";
ALTER TABLE "model_versions" DROP COLUMN "is_current";

-- A version is kept (servable when pinned) until it is retired.
ALTER TABLE "model_versions" ADD COLUMN "status" "model_status" NOT NULL DEFAULT 'active';

-- Prices of one version; those without a version are the model's.
ALTER TABLE "model_prices" ADD COLUMN "model_version_id" TEXT;
ALTER TABLE "model_prices" ADD CONSTRAINT "model_prices_model_version_id_fkey" FOREIGN KEY ("model_version_id") REFERENCES "model_versions"("id") ON DELETE CASCADE ON UPDATE CASCADE;
DROP INDEX "model_prices_model_id_effective_from_key";
CREATE UNIQUE INDEX "model_prices_model_id_model_version_id_effective_from_key" ON "model_prices"("model_id", "model_version_id", "effective_from");

-- The version that answered.
ALTER TABLE "usage_events" ADD COLUMN "model_version_id" TEXT;
ALTER TABLE "usage_events" ADD CONSTRAINT "usage_events_model_version_id_fkey" FOREIGN KEY ("model_version_id") REFERENCES "model_versions"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- The shared catalogue, readable in a tenant's transaction like the rest of it.
GRANT SELECT ON "model_aliases" TO aiaas_tenant;
