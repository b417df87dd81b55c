-- The full-text index, built without blocking appends (CONCURRENTLY), which PostgreSQL allows
-- only outside a transaction: hence a migration holding this one statement. English word forms
-- ("refunds", "refunded" are "refund"), and words of other languages are matched as written,
-- accents kept, since a query goes through the same configuration.
CREATE INDEX CONCURRENTLY IF NOT EXISTS "timeline_item_search_idx" ON "timeline_item" USING GIN (to_tsvector('english'::regconfig, timeline_item_search_text("kind", "text", "title", "content")));
