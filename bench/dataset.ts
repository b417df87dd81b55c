import type { PrismaClient } from '../src/store/database.js';

export interface DatasetSize {
  sessions: number;
  messagesPerSession: number;
  longSessionMessages: number;
}

/**
 * The benchmark's conversations, written in SQL for speed: `sessions` sessions of
 * `messagesPerSession` messages and one ("long") of `longSessionMessages`, users and assistants
 * taking turns, every fifth assistant message citing two sources that follow it in the timeline.
 */
export async function createDataset(prisma: PrismaClient, accountSid: string, size: DatasetSize): Promise<void> {
  // Message n of a session has seq n + 2 * floor((n - 1) / 10): two sources after every tenth.
  await prisma.$executeRaw`
    INSERT INTO session ("accountSid", "sessionId", name, identity, verified, "lastSeq", "createdAt", "updatedAt")
    SELECT ${accountSid}, 'bench-' || s, CASE WHEN s = 0 THEN 'long' END, 'user:' || s, true,
           m + 2 * (m / 10), now(), now()
    FROM generate_series(0, ${size.sessions}) AS s,
         LATERAL (SELECT CASE WHEN s = 0 THEN ${size.longSessionMessages}::int ELSE ${size.messagesPerSession}::int END AS m) AS count`;
  await prisma.$executeRaw`
    INSERT INTO timeline_item ("accountSid", "sessionPk", seq, kind, origin, "messageId", fingerprint, role, identity, "assistantId",
                               content, meta, text, confidence, "createdAt", "updatedAt")
    SELECT ${accountSid}, s.id, n + 2 * ((n - 1) / 10), 'CHAT_MESSAGE', 'TWILIO', 'aia_msg_' || s.id || '_' || n, '',
           CASE WHEN n % 2 = 1 THEN 'user' ELSE 'assistant' END, s.identity, 'aia_asst_bench',
           json_build_object('text', 'Message ' || n || ' of a conversation about an order and its delivery'),
           CASE WHEN n % 2 = 0 THEN '{"confidence": 0.8}'::json ELSE '{}'::json END,
           'Message ' || n || ' of a conversation about an order and its delivery',
           CASE WHEN n % 2 = 0 THEN 0.8 END,
           timestamp '2025-01-01' + n * interval '1 second', timestamp '2025-01-01' + n * interval '1 second'
    FROM session s, generate_series(1, CASE WHEN s.name = 'long' THEN ${size.longSessionMessages}::int ELSE ${size.messagesPerSession}::int END) AS n
    WHERE s."accountSid" = ${accountSid}`;
  await prisma.$executeRaw`
    INSERT INTO timeline_item ("accountSid", "sessionPk", seq, kind, origin, "parentId", "sourceKey", text, url, score, title, "createdAt", "updatedAt")
    SELECT m."accountSid", m."sessionPk", m.seq + k, 'SOURCE', 'TWILIO', m.id, k::text, 'A passage from the delivery policy, part ' || k,
           CASE WHEN k = 1 THEN 'https://example.com/policy' END, 0.9 - k / 10.0, CASE WHEN k = 1 THEN 'Delivery policy' END,
           m."createdAt", m."createdAt"
    FROM timeline_item m, generate_series(1, 2) AS k
    WHERE m."accountSid" = ${accountSid} AND m.kind = 'CHAT_MESSAGE' AND (m.seq - 1) % 12 = 9`;
  await prisma.$executeRaw`ANALYZE`;
}
