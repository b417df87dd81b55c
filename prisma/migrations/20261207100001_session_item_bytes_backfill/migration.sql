-- The sessions stored before the figure (the migration before this one) sized from their items. Items
-- are not written meanwhile (the lock waits for writes under way and holds new ones until this
-- ends; reads go on): an item committed after this statement's snapshot would otherwise be missed,
-- its trigger leaving a figure not known yet as it is. This takes as long as the store is large.
LOCK TABLE "timeline_item" IN SHARE MODE;
UPDATE "session" s SET "maxItemBytes" = coalesce(sized.bytes, 0)
FROM "session" unsized LEFT JOIN (SELECT "sessionPk", max("timeline_item_bytes"(i)) AS bytes FROM "timeline_item" i GROUP BY "sessionPk") sized ON sized."sessionPk" = unsized.id
WHERE s.id = unsized.id AND s."maxItemBytes" IS NULL;
