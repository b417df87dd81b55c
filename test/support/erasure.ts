import type { PrismaClient } from '../../src/store/database.js';

/**
 * Every place in the database a value still appears: each column of a text or JSON type of every
 * table (read from information_schema, so a table added later is searched too), as "table.column".
 */
export async function whereStored(prisma: PrismaClient, value: string): Promise<string[]> {
  const columns = await prisma.$queryRaw<{ table: string; column: string }[]>`
    SELECT c.table_name AS "table", c.column_name AS "column"
    FROM information_schema.columns c JOIN information_schema.tables t USING (table_schema, table_name)
    WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
      AND c.data_type IN ('text', 'character varying', 'character', 'json', 'jsonb')
    ORDER BY 1, 2`;
  const found: string[] = [];
  for (const { table, column } of columns) {
    const [{ count }] = await prisma.$queryRawUnsafe<[{ count: number }]>(
      `SELECT count(*)::int AS count FROM "${table}" WHERE strpos("${column}"::text, $1) > 0`,
      value,
    );
    if (count) found.push(`${table}.${column}`);
  }
  return found;
}

/**
 * The account's sessions whose stored summary differs from an aggregate of their rows, with both
 * versions: empty when every summary is exact.
 */
export async function summaryDrift(prisma: PrismaClient, accountSid: string): Promise<{ sessionId: string; stored: string; rows: string }[]> {
  return prisma.$queryRaw`
    SELECT * FROM (
      SELECT s."sessionId",
             concat_ws(' ', s."itemCount", s."messageCount", s."toolCallCount", s."knowledgeCallCount", s."sourceCount",
                       s."firstMessageAt", s."lastMessageAt", round(s."confidenceSum"::numeric, 9), s."confidenceCount") AS stored,
             concat_ws(' ', a.items, a.messages, a.tools, a.knowledge, a.sources, a.first, a.last, round(a.confidence::numeric, 9), a.confidences) AS rows
      FROM session s
      JOIN LATERAL (
        SELECT count(i.id) AS items,
               count(*) FILTER (WHERE i.kind = 'CHAT_MESSAGE') AS messages, count(*) FILTER (WHERE i.kind = 'TOOL_CALL') AS tools,
               count(*) FILTER (WHERE i.kind = 'KNOWLEDGE_CALL') AS knowledge, count(*) FILTER (WHERE i.kind = 'SOURCE') AS sources,
               min(i."createdAt") AS first, max(i."createdAt") AS last, coalesce(sum(i.confidence), 0) AS confidence, count(i.confidence) AS confidences
        FROM timeline_item i WHERE i."sessionPk" = s.id
      ) a ON true
      WHERE s."accountSid" = ${accountSid}
    ) compared
    WHERE stored IS DISTINCT FROM rows`;
}
