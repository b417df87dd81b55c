import { appendMessages, type NewMessage } from '../../src/store/append.js';
import type { PrismaClient } from '../../src/store/database.js';
import { ensureSession, type Session } from '../../src/store/sessions.js';
import { largestItemBytesSql } from './sources-bytes.js';
import { generatedMessages } from './timeline.js';

/**
 * A session (named "<id>-name") of `itemCount` items of every kind, each message and source saying
 * `word` and each message carrying `identity`: what an erasure must leave no trace of.
 */
export async function seededSession(prisma: PrismaClient, accountSid: string, sessionId: string, word: string, itemCount: number, identity: string | null = null): Promise<Session> {
  const { session } = await ensureSession(prisma, accountSid, { sessionId, name: `${sessionId}-name`, identity });
  await appendMessages(prisma, session, messagesSaying(word, sessionId, itemCount, identity));
  return session;
}

/** generatedMessages (ids starting `aia_msg_<prefix>_`), saying `word` and carrying `identity`. */
export function messagesSaying(word: string, prefix: string, itemCount: number, identity: string | null): NewMessage[] {
  return generatedMessages(itemCount, prefix).map((message) => ({
    ...message,
    identity,
    text: `${word} ${message.text}`,
    content: { text: `${word} ${message.text}` },
    sources: message.sources.map((source) => ({ ...source, text: `${word} ${source.text}` })),
  }));
}

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
 * versions: empty when every summary is exact, its largest item's size (`maxItemBytes`, as the read
 * budget sizes an item with every column read) included.
 */
export async function summaryDrift(prisma: PrismaClient, accountSid: string): Promise<{ sessionId: string; stored: string; rows: string }[]> {
  return prisma.$queryRaw`
    SELECT * FROM (
      SELECT s."sessionId",
             concat_ws(' ', s."itemCount", s."messageCount", s."toolCallCount", s."knowledgeCallCount", s."sourceCount",
                       s."firstMessageAt", s."lastMessageAt", round(s."confidenceSum"::numeric, 9), s."confidenceCount", s."maxItemBytes") AS stored,
             concat_ws(' ', a.items, a.messages, a.tools, a.knowledge, a.sources, a.first, a.last, round(a.confidence::numeric, 9), a.confidences, a.largest) AS rows
      FROM session s
      JOIN LATERAL (
        SELECT count(i.id) AS items,
               count(*) FILTER (WHERE i.kind = 'CHAT_MESSAGE') AS messages, count(*) FILTER (WHERE i.kind = 'TOOL_CALL') AS tools,
               count(*) FILTER (WHERE i.kind = 'KNOWLEDGE_CALL') AS knowledge, count(*) FILTER (WHERE i.kind = 'SOURCE') AS sources,
               min(i."createdAt") AS first, max(i."createdAt") AS last, coalesce(sum(i.confidence), 0) AS confidence, count(i.confidence) AS confidences,
               ${largestItemBytesSql('i')} AS largest
        FROM timeline_item i WHERE i."sessionPk" = s.id
      ) a ON true
      WHERE s."accountSid" = ${accountSid}
    ) compared
    WHERE stored IS DISTINCT FROM rows`;
}
