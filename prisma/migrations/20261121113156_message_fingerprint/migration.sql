-- AlterTable
ALTER TABLE "timeline_item" ADD COLUMN     "fingerprint" TEXT;
