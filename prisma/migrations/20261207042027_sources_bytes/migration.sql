-- What the sources of each message take, kept on the row of the message so that reading a page needs no
-- second look-up of them per message: once to size them for the read budget, again only for the
-- messages that cite any. The size is what rowBytesSql (src/store/timeline.ts) gives for a source
-- with every column read, and test/sources-bytes.test.ts holds the two to the same figures. The
-- messages stored before are sized by the next migration: adding the column locks the table until
-- its migration ends, and that one takes as long as the store is large.

-- AlterTable
ALTER TABLE "timeline_item" ADD COLUMN     "sourcesBytes" INTEGER NOT NULL DEFAULT 0;

-- Every statement that inserts or updates sources sizes their messages again from all their
-- sources, whoever writes them (appends, imports, or a script of an operator). Once per
-- statement, over the rows it wrote. A source is deleted only with its message (ON DELETE
-- CASCADE), so deletes need nothing. The update made here writes no source, and so stops at once.
CREATE FUNCTION "timeline_item_size_sources"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM written WHERE "parentId" IS NOT NULL) THEN
    UPDATE "timeline_item" m SET "sourcesBytes" = (SELECT coalesce(sum((300 + coalesce(octet_length(s."messageId"::text), 0) + coalesce(octet_length(s."role"::text), 0) + coalesce(octet_length(s."sourceKey"::text), 0) + coalesce(octet_length(s."url"::text), 0) + coalesce(octet_length(s."title"::text), 0) + coalesce(octet_length(s."accountSid"::text), 0) + coalesce(octet_length(s."identity"::text), 0) + coalesce(octet_length(s."assistantId"::text), 0) + coalesce(octet_length(s."text"::text), 0) + coalesce(octet_length(s."content"::text), 0) + coalesce(octet_length(s."meta"::text), 0) + coalesce(octet_length(s."toolName"::text), 0))::int), 0)::int FROM "timeline_item" s WHERE s."parentId" = m.id)
    WHERE m.id IN (SELECT "parentId" FROM written WHERE "parentId" IS NOT NULL);
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER "timeline_item_size_sources_on_insert" AFTER INSERT ON "timeline_item"
  REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION "timeline_item_size_sources"();
CREATE TRIGGER "timeline_item_size_sources_on_update" AFTER UPDATE ON "timeline_item"
  REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION "timeline_item_size_sources"();
