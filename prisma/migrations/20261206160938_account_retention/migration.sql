-- AlterTable
ALTER TABLE "account" ADD COLUMN     "retentionDays" INTEGER,
    -- Null keeps sessions for ever, and a retention is at least a day.
    ADD CONSTRAINT "account_retentionDays_positive" CHECK ("retentionDays" >= 1);
