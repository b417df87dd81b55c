import type { NewMessage } from '../../src/store/append.js';
import { appendMessages } from '../../src/store/append.js';
import type { PrismaClient } from '../../src/store/database.js';
import { ensureSession, type Session } from '../../src/store/sessions.js';

/**
 * A generated conversation of `itemCount` timeline items: user questions, tool calls, knowledge
 * calls with two sources, and answers citing one source, so every kind appears in every stretch.
 */
export function generatedMessages(itemCount: number, prefix = 'gen'): NewMessage[] {
  const messages: NewMessage[] = [];
  let items = 0;
  for (let n = 0; items < itemCount; n++) {
    const kind = (['CHAT_MESSAGE', 'TOOL_CALL', 'KNOWLEDGE_CALL', 'CHAT_MESSAGE'] as const)[n % 4]!;
    const role = kind === 'TOOL_CALL' ? 'tool' : kind === 'KNOWLEDGE_CALL' ? 'knowledge' : n % 4 === 0 ? 'user' : 'assistant';
    const sourceCount = Math.min(kind === 'KNOWLEDGE_CALL' ? 2 : role === 'assistant' ? 1 : 0, itemCount - items - 1);
    const createdAt = new Date(Date.UTC(2025, 0, 1) + n * 1000);
    messages.push({
      kind,
      origin: 'TWILIO',
      messageId: `aia_msg_${prefix}_${n}`,
      role,
      identity: 'user:test',
      assistantId: 'aia_asst_test',
      content: { text: `message ${n}` },
      meta: {},
      text: `message ${n}`,
      confidence: role === 'assistant' ? 0.5 : null,
      toolName: kind === 'TOOL_CALL' ? 'lookup' : null,
      createdAt,
      updatedAt: createdAt,
      sources: Array.from({ length: sourceCount }, (_, i) => ({
        key: String(i + 1),
        text: `source ${i + 1} of message ${n}`,
        url: i === 0 ? `https://example.com/${n}` : null,
        score: 0.5,
        title: i === 0 ? `Title ${n}` : null,
      })),
    });
    items += 1 + sourceCount;
  }
  return messages;
}

/** Creates a session holding exactly `itemCount` timeline items. */
export function createTimeline(prisma: PrismaClient, accountSid: string, sessionId: string, itemCount: number): Promise<Session> {
  return createSession(prisma, accountSid, sessionId, generatedMessages(itemCount, sessionId));
}

/** Creates a session holding `messageCount` messages (and the sources that come with them), their ids starting `aia_msg_<prefix>_`. */
export function createConversation(prisma: PrismaClient, accountSid: string, sessionId: string, messageCount: number, prefix = sessionId): Promise<Session> {
  return createSession(prisma, accountSid, sessionId, generatedMessages(messageCount * 2, prefix).slice(0, messageCount));
}

async function createSession(prisma: PrismaClient, accountSid: string, sessionId: string, messages: NewMessage[]): Promise<Session> {
  const { session } = await ensureSession(prisma, accountSid, { sessionId, assistantId: 'aia_asst_test', identity: 'user:test' });
  for (let start = 0; start < messages.length; start += 500) {
    await appendMessages(prisma, session, messages.slice(start, start + 500));
  }
  return session;
}

/**
 * A session of `messageCount` chat messages (users and assistants in turn) written in two SQL
 * statements, its summary set to match: 100,000 appends through the store take most of a minute,
 * which a test about reading such a session need not spend.
 */
export async function createBulkTimeline(prisma: PrismaClient, accountSid: string, sessionId: string, messageCount: number): Promise<Session> {
  const { session } = await ensureSession(prisma, accountSid, { sessionId });
  await prisma.$executeRaw`
    INSERT INTO timeline_item ("accountSid", "sessionPk", seq, kind, origin, "messageId", role, text, meta, "createdAt", "updatedAt")
    SELECT ${accountSid}, ${session.id}, n, 'CHAT_MESSAGE', 'ANALYTICS', ${sessionId} || '-' || n,
           CASE WHEN n % 2 = 0 THEN 'assistant' ELSE 'user' END, 'message number ' || n, '{}'::json,
           timestamp '2025-01-01' + n * interval '1 second', timestamp '2025-01-01' + n * interval '1 second'
    FROM generate_series(1, ${messageCount}) AS n`;
  const first = new Date(Date.UTC(2025, 0, 1) + 1000);
  const last = new Date(Date.UTC(2025, 0, 1) + messageCount * 1000);
  return prisma.session.update({
    where: { id: session.id },
    data: { lastSeq: messageCount, itemCount: messageCount, messageCount, firstMessageAt: first, lastMessageAt: last },
  });
}
