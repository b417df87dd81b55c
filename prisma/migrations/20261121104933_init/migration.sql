-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "ItemKind" AS ENUM ('CHAT_MESSAGE', 'TOOL_CALL', 'KNOWLEDGE_CALL', 'SOURCE');

-- CreateEnum
CREATE TYPE "Origin" AS ENUM ('TWILIO', 'ANALYTICS');

-- CreateTable
CREATE TABLE "account" (
    "sid" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "authTokenHash" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "account_pkey" PRIMARY KEY ("sid")
);

-- CreateTable
CREATE TABLE "assistant" (
    "id" BIGSERIAL NOT NULL,
    "accountSid" TEXT NOT NULL,
    "assistantId" TEXT NOT NULL,

    CONSTRAINT "assistant_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "session" (
    "id" BIGSERIAL NOT NULL,
    "accountSid" TEXT NOT NULL,
    "sessionId" TEXT NOT NULL,
    "name" TEXT,
    "assistantPk" BIGINT,
    "identity" TEXT,
    "verified" BOOLEAN NOT NULL DEFAULT false,
    "lastSeq" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "timeline_item" (
    "id" BIGSERIAL NOT NULL,
    "accountSid" TEXT NOT NULL,
    "sessionPk" BIGINT NOT NULL,
    "seq" INTEGER NOT NULL,
    "kind" "ItemKind" NOT NULL,
    "origin" "Origin" NOT NULL,
    "messageId" TEXT,
    "role" TEXT,
    "identity" TEXT,
    "assistantId" TEXT,
    "content" JSON,
    "meta" JSON,
    "text" TEXT,
    "confidence" DOUBLE PRECISION,
    "toolName" TEXT,
    "parentId" BIGINT,
    "sourceKey" TEXT,
    "url" TEXT,
    "score" DOUBLE PRECISION,
    "title" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "timeline_item_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "account_authTokenHash_key" ON "account"("authTokenHash");

-- CreateIndex
CREATE UNIQUE INDEX "assistant_accountSid_assistantId_key" ON "assistant"("accountSid", "assistantId");

-- CreateIndex
CREATE INDEX "session_accountSid_id_idx" ON "session"("accountSid", "id");

-- CreateIndex
CREATE UNIQUE INDEX "session_accountSid_sessionId_key" ON "session"("accountSid", "sessionId");

-- CreateIndex
CREATE UNIQUE INDEX "session_accountSid_name_key" ON "session"("accountSid", "name");

-- CreateIndex
CREATE INDEX "timeline_item_parentId_seq_idx" ON "timeline_item"("parentId", "seq");

-- CreateIndex
CREATE INDEX "timeline_item_accountSid_id_idx" ON "timeline_item"("accountSid", "id");

-- CreateIndex
CREATE UNIQUE INDEX "timeline_item_sessionPk_seq_key" ON "timeline_item"("sessionPk", "seq");

-- CreateIndex
CREATE UNIQUE INDEX "timeline_item_sessionPk_messageId_key" ON "timeline_item"("sessionPk", "messageId");

-- AddForeignKey
ALTER TABLE "assistant" ADD CONSTRAINT "assistant_accountSid_fkey" FOREIGN KEY ("accountSid") REFERENCES "account"("sid") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "session" ADD CONSTRAINT "session_accountSid_fkey" FOREIGN KEY ("accountSid") REFERENCES "account"("sid") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "session" ADD CONSTRAINT "session_assistantPk_fkey" FOREIGN KEY ("assistantPk") REFERENCES "assistant"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "timeline_item" ADD CONSTRAINT "timeline_item_sessionPk_fkey" FOREIGN KEY ("sessionPk") REFERENCES "session"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "timeline_item" ADD CONSTRAINT "timeline_item_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "timeline_item"("id") ON DELETE CASCADE ON UPDATE CASCADE;
