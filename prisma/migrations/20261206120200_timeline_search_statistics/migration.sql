-- Statistics of the new index's expression: without them the planner guesses that a word matches
-- 1% of the items and intersects the index with the account's whole range (200 ms on a million
-- items instead of 0.1 ms). Samples a fixed number of rows: seconds, however large the table.
ANALYZE "timeline_item";
