-- DropIndex
DROP INDEX "outbox_emails_sent_at_idx";

-- AlterTable
ALTER TABLE "outbox_emails" ADD COLUMN     "attempts" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "claimed_until" TIMESTAMP(3),
ADD COLUMN     "failed_at" TIMESTAMP(3),
ADD COLUMN     "last_error" TEXT,
ADD COLUMN     "message_id" TEXT,
ADD COLUMN     "next_attempt_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- Mail queued before there was a sender was only ever shown in the development outbox:
-- it keeps a Message-ID of its own and counts as delivered, so that old links are not mailed now.
UPDATE "outbox_emails" SET "message_id" = '<' || "id" || '@aiaas>', "sent_at" = COALESCE("sent_at", "created_at");
ALTER TABLE "outbox_emails" ALTER COLUMN "message_id" SET NOT NULL;

-- CreateIndex
CREATE INDEX "outbox_emails_sent_at_failed_at_next_attempt_at_idx" ON "outbox_emails"("sent_at", "failed_at", "next_attempt_at");
