import { Prisma, type ItemKind, type Origin } from './generated/prisma/client.js';
import type { PrismaClient } from './database.js';

export interface NewSource {
  key: string;
  text: string;
  url: string | null;
  score: number | null;
  title: string | null;
}

/** A message as either legacy model brings it, already mapped to the store (see src/models). */
export interface NewMessage {
  kind: Exclude<ItemKind, 'SOURCE'>;
  origin: Origin;
  messageId: string;
  role: string;
  identity: string | null;
  assistantId: string | null;
  content: Prisma.InputJsonValue | null;
  meta: Prisma.InputJsonValue | null;
  text: string | null;
  confidence: number | null;
  toolName: string | null;
  createdAt: Date;
  updatedAt: Date;
  sources: NewSource[];
}

/**
 * Appends messages, each followed by its sources, to the end of a session's timeline in one
 * transaction. Sequence numbers are claimed by incrementing the session's `lastSeq`, whose row lock
 * makes concurrent writers to one session queue up, so the timeline stays gap-free and ordered.
 */
export async function appendMessages(
  prisma: PrismaClient,
  session: { id: bigint; accountSid: string },
  messages: readonly NewMessage[],
): Promise<number> {
  if (!messages.length) return 0;
  const itemCount = messages.reduce((sum, message) => sum + 1 + message.sources.length, 0);
  await prisma.$transaction(async (tx) => {
    const lastUpdate = new Date(Math.max(...messages.map((message) => message.updatedAt.getTime())));
    // The session's date_updated follows its conversation: the latest message, not the time of the write.
    const [{ lastSeq }] = await tx.$queryRaw<[{ lastSeq: number }]>`
      UPDATE session SET "lastSeq" = "lastSeq" + ${itemCount}, "updatedAt" = GREATEST("updatedAt", ${lastUpdate})
      WHERE id = ${session.id} RETURNING "lastSeq"`;
    let seq = lastSeq - itemCount;
    const placed = messages.map((message) => {
      const messageSeq = ++seq;
      seq += message.sources.length;
      return { message, messageSeq };
    });
    const inserted = await tx.timelineItem.createManyAndReturn({
      data: placed.map(({ message: { sources: _sources, content, meta, ...fields }, messageSeq }) => ({
        ...fields,
        content: content ?? Prisma.DbNull,
        meta: meta ?? Prisma.DbNull,
        accountSid: session.accountSid,
        sessionPk: session.id,
        seq: messageSeq,
      })),
      select: { id: true, seq: true },
    });
    const idOfSeq = new Map(inserted.map((row) => [row.seq, row.id]));
    const sources = placed.flatMap(({ message, messageSeq }) =>
      message.sources.map((source, index) => ({
        accountSid: session.accountSid,
        sessionPk: session.id,
        seq: messageSeq + 1 + index,
        kind: 'SOURCE' as const,
        origin: message.origin,
        parentId: idOfSeq.get(messageSeq)!,
        sourceKey: source.key,
        text: source.text,
        url: source.url,
        score: source.score,
        title: source.title,
        createdAt: message.createdAt,
        updatedAt: message.updatedAt,
      })),
    );
    if (sources.length) await tx.timelineItem.createMany({ data: sources });
  });
  return itemCount;
}
