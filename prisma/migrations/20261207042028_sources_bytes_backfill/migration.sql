-- The messages stored before the column (the migration before this one) sized from their sources,
-- as its trigger sizes those written since, which it does meanwhile: this takes as long as the
-- store is large (24 s for 110,000 messages citing sources among 1,100,000 items), and locks only
-- the rows it updates, so reads and appends go on.
UPDATE "timeline_item" m SET "sourcesBytes" = c.bytes
FROM (SELECT s."parentId", sum((300 + coalesce(octet_length(s."messageId"::text), 0) + coalesce(octet_length(s."role"::text), 0) + coalesce(octet_length(s."sourceKey"::text), 0) + coalesce(octet_length(s."url"::text), 0) + coalesce(octet_length(s."title"::text), 0) + coalesce(octet_length(s."accountSid"::text), 0) + coalesce(octet_length(s."identity"::text), 0) + coalesce(octet_length(s."assistantId"::text), 0) + coalesce(octet_length(s."text"::text), 0) + coalesce(octet_length(s."content"::text), 0) + coalesce(octet_length(s."meta"::text), 0) + coalesce(octet_length(s."toolName"::text), 0))::int)::int AS bytes FROM "timeline_item" s WHERE s."parentId" IS NOT NULL GROUP BY s."parentId") c
WHERE m.id = c."parentId";
