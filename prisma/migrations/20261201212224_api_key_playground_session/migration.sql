-- AlterTable
ALTER TABLE "api_keys" ADD COLUMN     "session_id" TEXT;

-- CreateIndex
CREATE INDEX "api_keys_session_id_idx" ON "api_keys"("session_id");
