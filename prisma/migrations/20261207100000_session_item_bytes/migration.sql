-- The most bytes one item of a session takes, its sources with it, kept on the session: a page of
-- n items takes at most n times as much, so a page known to fit what is left of the read budget
-- is read without summing its items' sizes as it goes (see readWindows, src/store/timeline.ts).
-- An item's size is what rowBytesSql gives with every column read, plus its sourcesBytes; the
-- function restates it, and test/session-item-bytes.test.ts holds the two to the same figures.
-- Null is "not known yet": the sessions stored before are sized by the next migration, and until
-- then their pages are read as any page is. A new session starts at 0, having no items.

-- AlterTable
ALTER TABLE "session" ADD COLUMN     "maxItemBytes" INTEGER;
ALTER TABLE "session" ALTER COLUMN "maxItemBytes" SET DEFAULT 0;

CREATE FUNCTION "timeline_item_bytes"(i "timeline_item") RETURNS int LANGUAGE sql STABLE AS $$
  SELECT (300 + coalesce(octet_length(i."messageId"::text), 0) + coalesce(octet_length(i."role"::text), 0) + coalesce(octet_length(i."sourceKey"::text), 0) + coalesce(octet_length(i."url"::text), 0) + coalesce(octet_length(i."title"::text), 0) + coalesce(octet_length(i."accountSid"::text), 0) + coalesce(octet_length(i."identity"::text), 0) + coalesce(octet_length(i."assistantId"::text), 0) + coalesce(octet_length(i."text"::text), 0) + coalesce(octet_length(i."content"::text), 0) + coalesce(octet_length(i."meta"::text), 0) + coalesce(octet_length(i."toolName"::text), 0))::int + i."sourcesBytes"
$$;

-- Every statement that inserts or updates items raises their sessions' figure to the largest of
-- them, whoever writes them (an append, an import, a script of an operator), and at any depth: a
-- message's sourcesBytes is updated by the trigger sizing its sources. Deleting items leaves it
-- as it is (still a bound); an erasure sizes its sessions again (recomputeSummaries). The sessions'
-- rows are taken first, in row order, even when no figure is to be raised: an erasure holding one,
-- sizing it again from the items it sees (not this statement's), is waited for, and the figure it
-- leaves is then the one compared.
CREATE FUNCTION "session_bound_item_bytes"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM FROM "session" WHERE id IN (SELECT "sessionPk" FROM changed) ORDER BY id FOR KEY SHARE;
  UPDATE "session" s SET "maxItemBytes" = changed_bytes.bytes
  FROM (SELECT "sessionPk", max("timeline_item_bytes"(c)) AS bytes FROM changed c GROUP BY "sessionPk") changed_bytes
  WHERE s.id = changed_bytes."sessionPk" AND s."maxItemBytes" < changed_bytes.bytes;
  RETURN NULL;
END
$$;

CREATE TRIGGER "session_bound_item_bytes_on_insert" AFTER INSERT ON "timeline_item"
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT
  EXECUTE FUNCTION "session_bound_item_bytes"();
CREATE TRIGGER "session_bound_item_bytes_on_update" AFTER UPDATE ON "timeline_item"
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT
  EXECUTE FUNCTION "session_bound_item_bytes"();
