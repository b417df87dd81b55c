-- The sessions stored before the figure (the migration before this one) sized from their items. Items
-- are not written meanwhile, and none under way is missed: every write of items takes its session's
-- row (an append from its first statement; any write at the end of its statement, where its items'
-- reference to their session is checked and their trigger raises the figure), and this lock lets
-- nothing but reads of sessions through. It waits for the writes under way and holds new ones until
-- this ends; reads go on. A write held at the end of its statement raises, once this has committed,
-- the figure this gives. The lock is taken on sessions, not on items: an append holds its session
-- while it writes its items, and a lock taken in the other order would wait for it as it waits for
-- the lock, a deadlock that refuses one of the two. This takes as long as the store is large.
LOCK TABLE "session" IN EXCLUSIVE MODE;
UPDATE "session" s SET "maxItemBytes" = coalesce((SELECT max("timeline_item_bytes"(i)) FROM "timeline_item" i WHERE i."sessionPk" = s.id), 0)
WHERE s."maxItemBytes" IS NULL;
