-- Session summaries, kept by the append that writes a session's items (src/store/session-summary.ts).
-- Adding columns with constant defaults does not rewrite the table.
ALTER TABLE "session" ADD COLUMN "itemCount" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN "messageCount" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN "toolCallCount" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN "knowledgeCallCount" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN "sourceCount" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN "firstMessageAt" TIMESTAMPTZ(3),
ADD COLUMN "lastMessageAt" TIMESTAMPTZ(3),
ADD COLUMN "confidenceSum" DOUBLE PRECISION NOT NULL DEFAULT 0,
ADD COLUMN "confidenceCount" INTEGER NOT NULL DEFAULT 0;

-- Existing sessions get their summaries from their items: one pass over timeline_item.
UPDATE "session" s SET
  "itemCount" = a.items,
  "messageCount" = a.messages,
  "toolCallCount" = a.tool_calls,
  "knowledgeCallCount" = a.knowledge_calls,
  "sourceCount" = a.sources,
  "firstMessageAt" = a.first_at,
  "lastMessageAt" = a.last_at,
  "confidenceSum" = a.confidence_sum,
  "confidenceCount" = a.confidence_count
FROM (
  SELECT "sessionPk",
         count(*) AS items,
         count(*) FILTER (WHERE kind = 'CHAT_MESSAGE') AS messages,
         count(*) FILTER (WHERE kind = 'TOOL_CALL') AS tool_calls,
         count(*) FILTER (WHERE kind = 'KNOWLEDGE_CALL') AS knowledge_calls,
         count(*) FILTER (WHERE kind = 'SOURCE') AS sources,
         min("createdAt") AS first_at,
         max("createdAt") AS last_at,
         coalesce(sum(confidence), 0) AS confidence_sum,
         count(confidence) AS confidence_count
  FROM "timeline_item" GROUP BY "sessionPk"
) a
WHERE a."sessionPk" = s.id;

-- Session lists: each order, and the filters that narrow a list the most, read through an index.
CREATE INDEX "session_accountSid_createdAt_id_idx" ON "session"("accountSid", "createdAt", "id");
CREATE INDEX "session_accountSid_identity_createdAt_id_idx" ON "session"("accountSid", "identity", "createdAt", "id");
CREATE INDEX "session_assistantPk_createdAt_id_idx" ON "session"("assistantPk", "createdAt", "id");
-- Last activity: the latest item's time, or the session's creation while it has none.
CREATE INDEX "session_accountSid_lastActivity_id_idx" ON "session"("accountSid", (COALESCE("lastMessageAt", "createdAt")), "id");

-- What full-text search reads of an item: a chat message's text, a source's title and text, the
-- string and number values inside a tool or knowledge call's content (not its keys). Cut at
-- 200,000 characters, so the largest message still fits a tsvector (1 MB).
-- (No semicolon may appear inside its body: the PostgreSQL driver runs a migration statement by statement, split at semicolons.)
CREATE FUNCTION timeline_item_search_text(kind "ItemKind", text TEXT, title TEXT, content JSON) RETURNS TEXT
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $body$
  SELECT left(CASE
    WHEN kind IN ('TOOL_CALL', 'KNOWLEDGE_CALL') AND content IS NOT NULL THEN
      (SELECT string_agg(value #>> '{}', ' ') FROM jsonb_path_query(content::jsonb, 'strict $.**') AS value
       WHERE jsonb_typeof(value) IN ('string', 'number'))
    ELSE coalesce(title || ' ', '') || coalesce(text, '')
  END, 200000)
$body$;
