import { Prisma } from './generated/prisma/client.js';
import type { NewMessage } from './append.js';
import type { Session } from './sessions.js';
import type { Transaction } from './transaction.js';

/**
 * What is in a session, without reading it. Kept on the session row by the append that writes its
 * items, in the same statement that claims their positions under the row's lock: every way in
 * (GraphQL, imports, the demo) appends through appendMessages, so the summary is exact at every
 * commit, costs no statement of its own, and a rolled-back append counts nothing.
 */
export interface SessionSummary {
  itemCount: number;
  messageCount: number;
  toolCallCount: number;
  knowledgeCallCount: number;
  sourceCount: number;
  firstMessageAt: Date | null;
  lastMessageAt: Date | null;
  averageConfidence: number | null;
}

export function sessionSummaryOf(session: Session): SessionSummary {
  return {
    itemCount: session.itemCount,
    messageCount: session.messageCount,
    toolCallCount: session.toolCallCount,
    knowledgeCallCount: session.knowledgeCallCount,
    sourceCount: session.sourceCount,
    firstMessageAt: session.firstMessageAt,
    lastMessageAt: session.lastMessageAt,
    averageConfidence: session.confidenceCount ? session.confidenceSum / session.confidenceCount : null,
  };
}

/** The session columns' assignments that add newly stored messages (and their sources) to its summary. */
export function summaryAssignments(messages: readonly NewMessage[]): Prisma.Sql {
  const count = (kind: NewMessage['kind']) => messages.filter((message) => message.kind === kind).length;
  const sources = messages.reduce((sum, message) => sum + message.sources.length, 0);
  const confidences = messages.flatMap((message) => (message.confidence === null ? [] : [message.confidence]));
  const times = messages.map((message) => message.createdAt.getTime());
  const first = times.reduce((min, time) => Math.min(min, time));
  const last = times.reduce((max, time) => Math.max(max, time));
  // LEAST and GREATEST pass over NULL: an empty session's first append sets both times.
  return Prisma.sql`
    "itemCount" = "itemCount" + ${messages.length + sources},
    "messageCount" = "messageCount" + ${count('CHAT_MESSAGE')},
    "toolCallCount" = "toolCallCount" + ${count('TOOL_CALL')},
    "knowledgeCallCount" = "knowledgeCallCount" + ${count('KNOWLEDGE_CALL')},
    "sourceCount" = "sourceCount" + ${sources},
    "firstMessageAt" = LEAST("firstMessageAt", ${new Date(first)}),
    "lastMessageAt" = GREATEST("lastMessageAt", ${new Date(last)}),
    "confidenceSum" = "confidenceSum" + ${confidences.reduce((sum, value) => sum + value, 0)}::float8,
    "confidenceCount" = "confidenceCount" + ${confidences.length}`;
}

/**
 * Sets the summaries of these sessions from their items, for a write that takes items away (an
 * erasure), which cannot be counted as a difference the way an append is. Their largest item's size
 * (`maxItemBytes`, which a trigger only ever raises) is taken again too: nothing keeps the size of
 * what was erased, sized by the migration's function (`timeline_item_bytes`) as the trigger sizes
 * items. The caller holds the sessions' row locks, as an append does, so no append's count lands in
 * between.
 */
export async function recomputeSummaries({ client: tx }: Transaction, sessionPks: readonly bigint[]): Promise<void> {
  if (!sessionPks.length) return;
  await tx.$executeRaw`
    UPDATE session s SET
      "itemCount" = a.items, "messageCount" = a.messages, "toolCallCount" = a.tool_calls,
      "knowledgeCallCount" = a.knowledge_calls, "sourceCount" = a.sources,
      "firstMessageAt" = a.first_at, "lastMessageAt" = a.last_at,
      "confidenceSum" = a.confidence_sum, "confidenceCount" = a.confidence_count, "maxItemBytes" = a.max_item_bytes
    FROM (
      SELECT p.id,
             count(t.id)::int AS items,
             (count(t.id) FILTER (WHERE t.kind = 'CHAT_MESSAGE'))::int AS messages,
             (count(t.id) FILTER (WHERE t.kind = 'TOOL_CALL'))::int AS tool_calls,
             (count(t.id) FILTER (WHERE t.kind = 'KNOWLEDGE_CALL'))::int AS knowledge_calls,
             (count(t.id) FILTER (WHERE t.kind = 'SOURCE'))::int AS sources,
             min(t."createdAt") AS first_at,
             max(t."createdAt") AS last_at,
             coalesce(sum(t.confidence), 0)::float8 AS confidence_sum,
             count(t.confidence)::int AS confidence_count,
             coalesce(max(timeline_item_bytes(t)), 0) AS max_item_bytes
      FROM unnest(${sessionPks.map(String)}::bigint[]) AS p(id)
      LEFT JOIN timeline_item t ON t."sessionPk" = p.id
      GROUP BY p.id
    ) a
    WHERE s.id = a.id`;
}
