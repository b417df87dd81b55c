-- The items carrying a person, so erasing an identity reads that person's items rather than
-- every item of the account while it holds their sessions' locks. Built without blocking appends
-- (CONCURRENTLY), which PostgreSQL allows only outside a transaction: hence a migration holding
-- this one statement.
CREATE INDEX CONCURRENTLY IF NOT EXISTS "timeline_item_accountSid_identity_idx" ON "timeline_item"("accountSid", "identity") WHERE (identity IS NOT NULL);
