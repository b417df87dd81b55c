import { createHash } from 'node:crypto';
import type { Prisma, ItemKind, Origin } from './generated/prisma/client.js';
import { rowBytesSql, SIZED_COLUMNS_RECORD } from './timeline.js';
import { inTransaction, type Db, type Transaction } from './transaction.js';
import { GatewayError } from '../errors.js';
import { summaryAssignments } from './session-summary.js';

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

export interface AppendResult {
  messagesCreated: number;
  messagesPresent: number;
  sourcesCreated: number;
  sourcesPresent: number;
  /** The positions written, (afterSeq, throughSeq], or null when every message was already present. */
  appended: { afterSeq: number; throughSeq: number } | null;
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/**
 * What makes two copies of a message the same message: everything it says, as JSON values (key
 * order aside). Its dates are left out: a retried append that defaults them to "now" is still the
 * same message.
 */
export function messageFingerprint({ createdAt: _created, updatedAt: _updated, ...message }: NewMessage): string {
  return createHash('sha256').update(canonicalJson(message)).digest('hex');
}

function conflict(messageId: string): GatewayError {
  return new GatewayError(
    'conflict',
    `Message "${messageId}" is already stored with different content (a message id names one message)`,
  );
}

/** The messages not stored yet; a message seen again must be identical, or the whole batch is refused. */
async function newMessagesOnly({ client: tx }: Transaction, sessionPk: bigint, messages: readonly NewMessage[]) {
  const fingerprints = new Map<string, string>();
  const fresh: { message: NewMessage; fingerprint: string }[] = [];
  for (const message of messages) {
    const fingerprint = messageFingerprint(message);
    const seen = fingerprints.get(message.messageId);
    if (seen === undefined) {
      fingerprints.set(message.messageId, fingerprint);
      fresh.push({ message, fingerprint });
    } else if (seen !== fingerprint) {
      throw conflict(message.messageId);
    }
  }
  const stored = await tx.$queryRaw<{ messageId: string; fingerprint: string | null }[]>`
    SELECT "messageId", fingerprint FROM timeline_item
    WHERE "sessionPk" = ${sessionPk} AND "messageId" = ANY(${[...fingerprints.keys()]}::text[])`;
  for (const { messageId, fingerprint } of stored) {
    if (fingerprint !== fingerprints.get(messageId)) throw conflict(messageId);
  }
  const storedIds = new Set(stored.map((item) => item.messageId));
  const created = fresh.filter(({ message }) => !storedIds.has(message.messageId));
  return { created, present: messages.length - created.length };
}

function sourceCount(messages: readonly NewMessage[]): number {
  return messages.reduce((sum, message) => sum + message.sources.length, 0);
}

/**
 * Appends messages, each followed by its sources, to the end of a session's timeline. Idempotent
 * by message id: a message already stored is skipped, and one stored with other content is a
 * conflict that writes nothing. Sequence numbers are claimed under the session row's lock, so
 * concurrent writers to one session queue up and the timeline stays gap-free and ordered.
 * Runs in the given transaction, or in one of its own: either way all of it is stored or none.
 * The messages come checked (see checkNewMessage in src/models/validation.ts).
 */
export function appendMessages(db: Db, session: { id: bigint; accountSid: string }, messages: readonly NewMessage[]): Promise<AppendResult> {
  return inTransaction(db, (transaction) => appendInTransaction(transaction, session, messages));
}

async function appendInTransaction(
  transaction: Transaction,
  session: { id: bigint; accountSid: string },
  messages: readonly NewMessage[],
): Promise<AppendResult> {
  const tx = transaction.client;
  // The lock holds until the transaction ends: concurrent appends to this session, and its erasure, wait here.
  const [locked] = await tx.$queryRaw<{ id: bigint }[]>`SELECT id FROM session WHERE id = ${session.id} FOR UPDATE`;
  // Deleted while this append waited: it writes nothing rather than bring back part of the session.
  if (!locked) throw new GatewayError('not_found', 'The session was deleted; nothing was appended');
  const { created, present } = await newMessagesOnly(transaction, session.id, messages);
  const sourcesCreated = sourceCount(created.map(({ message }) => message));
  const result: AppendResult = {
    messagesCreated: created.length,
    messagesPresent: present,
    sourcesCreated,
    sourcesPresent: sourceCount(messages) - sourcesCreated,
    appended: null,
  };
  if (!created.length) return result;

  const itemCount = created.length + sourcesCreated;
  const lastUpdate = new Date(created.reduce((latest, { message }) => Math.max(latest, message.updatedAt.getTime()), 0));
  // The session's date_updated follows its conversation: the latest message, not the time of the write.
  const [{ lastSeq }] = await tx.$queryRaw<[{ lastSeq: number }]>`
    UPDATE session SET "lastSeq" = "lastSeq" + ${itemCount}, "updatedAt" = GREATEST("updatedAt", ${lastUpdate}),
      ${summaryAssignments(created.map(({ message }) => message))}
    WHERE id = ${session.id} RETURNING "lastSeq"`;
  result.appended = { afterSeq: lastSeq - itemCount, throughSeq: lastSeq };

  let seq = lastSeq - itemCount;
  const messageRows = [];
  const sourceRows = [];
  for (const { message, fingerprint } of created) {
    const { sources, createdAt, updatedAt, ...fields } = message;
    const messageSeq = ++seq;
    const cited = sources.map((source) => ({ accountSid: session.accountSid, sourceKey: source.key, url: source.url, title: source.title, text: source.text }));
    messageRows.push({ ...fields, fingerprint, seq: messageSeq, cited, createdAt: createdAt.toISOString(), updatedAt: updatedAt.toISOString() });
    for (const source of sources) {
      sourceRows.push({ ...source, seq: ++seq, parentSeq: messageSeq, origin: message.origin, createdAt: createdAt.toISOString(), updatedAt: updatedAt.toISOString() });
    }
  }
  // One JSON parameter per statement: Prisma's createMany would compile a plan with a placeholder
  // for every value of every row, which costs far more than the insert itself. A message is
  // written with its sources' size (what the table's trigger would give it once they are written,
  // their columns sized as the read budget sizes them), so the trigger finds it right and
  // rewrites no row.
  await tx.$executeRaw`
    INSERT INTO timeline_item ("accountSid", "sessionPk", seq, kind, origin, "messageId", fingerprint, role, identity, "assistantId",
                               content, meta, text, confidence, "toolName", "sourcesBytes", "createdAt", "updatedAt")
    SELECT ${session.accountSid}, ${session.id}, r.seq, r.kind::"ItemKind", r.origin::"Origin", r."messageId", r.fingerprint, r.role,
           r.identity, r."assistantId", r.content, r.meta, r.text, r.confidence, r."toolName",
           (SELECT coalesce(sum(${rowBytesSql('s')}), 0)::int FROM json_to_recordset(r.cited) AS s(${SIZED_COLUMNS_RECORD})),
           r."createdAt", r."updatedAt"
    FROM json_to_recordset(${JSON.stringify(messageRows)}::json) AS r(
      seq int, kind text, origin text, "messageId" text, fingerprint text, role text, identity text, "assistantId" text,
      content json, meta json, text text, confidence float8, "toolName" text, cited json, "createdAt" timestamptz, "updatedAt" timestamptz)`;
  if (sourceRows.length) {
    await tx.$executeRaw`
      INSERT INTO timeline_item ("accountSid", "sessionPk", seq, kind, origin, "parentId", "sourceKey", text, url, score, title, "createdAt", "updatedAt")
      SELECT ${session.accountSid}, ${session.id}, r.seq, 'SOURCE', r.origin::"Origin", m.id, r.key, r.text, r.url, r.score, r.title,
             r."createdAt", r."updatedAt"
      FROM json_to_recordset(${JSON.stringify(sourceRows)}::json) AS r(
        seq int, "parentSeq" int, origin text, key text, text text, url text, score float8, title text, "createdAt" timestamptz, "updatedAt" timestamptz)
      JOIN timeline_item m ON m."sessionPk" = ${session.id} AND m.seq = r."parentSeq"`;
  }
  return result;
}
