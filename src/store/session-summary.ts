import { Prisma } from './generated/prisma/client.js';
import type { NewMessage } from './append.js';
import type { Session } from './sessions.js';

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
