-- CreateEnum
CREATE TYPE "ErasureKind" AS ENUM ('SESSION', 'IDENTITY', 'RETENTION');

-- CreateTable
CREATE TABLE "erasure" (
    "id" BIGSERIAL NOT NULL,
    "accountSid" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "credential" TEXT NOT NULL,
    "kind" "ErasureKind" NOT NULL,
    "sessions" INTEGER NOT NULL,
    "messages" INTEGER NOT NULL,
    "sources" INTEGER NOT NULL,

    CONSTRAINT "erasure_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "erasure_accountSid_createdAt_idx" ON "erasure"("accountSid", "createdAt");

-- AddForeignKey
ALTER TABLE "erasure" ADD CONSTRAINT "erasure_accountSid_fkey" FOREIGN KEY ("accountSid") REFERENCES "account"("sid") ON DELETE CASCADE ON UPDATE CASCADE;
