-- CreateTable
CREATE TABLE "deployment_key" (
    "id" BOOLEAN NOT NULL DEFAULT true,
    "secret" BYTEA NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "deployment_key_pkey" PRIMARY KEY ("id"),
    -- One row: every gateway sharing the database seals with the same key.
    CONSTRAINT "deployment_key_one_row" CHECK ("id")
);
