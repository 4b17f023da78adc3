-- AlterTable
ALTER TABLE "worker_heartbeats" ADD COLUMN     "in_flight" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "jobs_done" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "jobs_failed" INTEGER NOT NULL DEFAULT 0;
