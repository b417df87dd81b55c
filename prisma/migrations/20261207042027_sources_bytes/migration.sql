-- What the sources of each message take, kept on the row of the message so that reading a page needs no
-- second look-up of them per message: once to size them for the read budget, again only for the
-- messages that cite any. The size is what rowBytesSql (src/store/timeline.ts) gives for a source
-- with every column read, and test/sources-bytes.test.ts holds the two to the same figures. The
-- messages stored before are sized by the next migration: adding the column locks the table until
-- its migration ends, and that one takes as long as the store is large.

-- AlterTable
ALTER TABLE "timeline_item" ADD COLUMN     "sourcesBytes" INTEGER NOT NULL DEFAULT 0;

-- Every statement that inserts, updates or deletes sources sizes their messages again from all
-- their sources, whoever writes them: an append writes the figure with its message (and so
-- rewrites nothing here), an import, or a script of an operator. Once per statement, over the
-- rows it changed, and only the messages whose figure differs. Not for the statements a trigger
-- runs (depth over 1): this one updating messages, or a cascade deleting a message with its
-- sources.
CREATE FUNCTION "timeline_item_size_sources_of"(parents bigint[]) RETURNS void LANGUAGE sql AS $$
  UPDATE "timeline_item" m SET "sourcesBytes" = sized.bytes
  FROM (SELECT p.id, (SELECT coalesce(sum((300 + coalesce(octet_length(s."messageId"::text), 0) + coalesce(octet_length(s."role"::text), 0) + coalesce(octet_length(s."sourceKey"::text), 0) + coalesce(octet_length(s."url"::text), 0) + coalesce(octet_length(s."title"::text), 0) + coalesce(octet_length(s."accountSid"::text), 0) + coalesce(octet_length(s."identity"::text), 0) + coalesce(octet_length(s."assistantId"::text), 0) + coalesce(octet_length(s."text"::text), 0) + coalesce(octet_length(s."content"::text), 0) + coalesce(octet_length(s."meta"::text), 0) + coalesce(octet_length(s."toolName"::text), 0))::int), 0)::int FROM "timeline_item" s WHERE s."parentId" = p.id) AS bytes
        FROM unnest(parents) AS p(id)) sized
  WHERE m.id = sized.id AND m."sourcesBytes" <> sized.bytes
$$;

-- The statement's inserted rows, or its deleted ones (each trigger names its own "changed").
CREATE FUNCTION "timeline_item_size_sources_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF pg_trigger_depth() > 1 THEN RETURN NULL; END IF;
  PERFORM "timeline_item_size_sources_of"(ARRAY(SELECT DISTINCT "parentId" FROM changed WHERE "parentId" IS NOT NULL));
  RETURN NULL;
END
$$;

-- The messages a statement's updated sources belong to, before and after.
CREATE FUNCTION "timeline_item_size_sources_rewritten"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF pg_trigger_depth() > 1 THEN RETURN NULL; END IF;
  PERFORM "timeline_item_size_sources_of"(ARRAY(
    SELECT "parentId" FROM changed WHERE "parentId" IS NOT NULL UNION SELECT "parentId" FROM replaced WHERE "parentId" IS NOT NULL));
  RETURN NULL;
END
$$;

CREATE TRIGGER "timeline_item_size_sources_on_insert" AFTER INSERT ON "timeline_item"
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT
  EXECUTE FUNCTION "timeline_item_size_sources_changed"();
CREATE TRIGGER "timeline_item_size_sources_on_update" AFTER UPDATE ON "timeline_item"
  REFERENCING OLD TABLE AS replaced NEW TABLE AS changed FOR EACH STATEMENT
  EXECUTE FUNCTION "timeline_item_size_sources_rewritten"();
CREATE TRIGGER "timeline_item_size_sources_on_delete" AFTER DELETE ON "timeline_item"
  REFERENCING OLD TABLE AS changed FOR EACH STATEMENT
  EXECUTE FUNCTION "timeline_item_size_sources_changed"();
