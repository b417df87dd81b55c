-- AlterTable
ALTER TABLE "account" ADD COLUMN     "tokenRotatedAt" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "api_key" (
    "sid" TEXT NOT NULL,
    "accountSid" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "secretHash" TEXT NOT NULL,
    "readOnly" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "api_key_pkey" PRIMARY KEY ("sid")
);

-- CreateIndex
CREATE UNIQUE INDEX "api_key_secretHash_key" ON "api_key"("secretHash");

-- CreateIndex
CREATE INDEX "api_key_accountSid_idx" ON "api_key"("accountSid");

-- AddForeignKey
ALTER TABLE "api_key" ADD CONSTRAINT "api_key_accountSid_fkey" FOREIGN KEY ("accountSid") REFERENCES "account"("sid") ON DELETE CASCADE ON UPDATE CASCADE;
