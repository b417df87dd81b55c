import { z } from 'zod';
import type { NewMessage } from '../store/append.js';
import type { Session } from '../store/sessions.js';
import type { TimelineItem } from '../store/timeline.js';
import { GatewayError } from '../errors.js';
import { isoDateTime, parseOrExplain } from './validation.js';

/**
 * The gateway's own export format: JSON Lines, lossless. A header line names the format and the
 * account; each session's line comes before its messages' lines, and each message carries its
 * sources. Everything the three APIs show is in it, the message ids included, so importing an
 * archive gives back what was exported and importing it twice changes nothing.
 */
export const ARCHIVE_VERSION = 1;

export interface ArchiveHeader {
  type: 'archive';
  version: number;
  account: { sid: string; name: string; date_created: string };
}

export interface ArchiveSession {
  type: 'session';
  id: string;
  name: string | null;
  assistant_id: string | null;
  identity: string | null;
  verified: boolean;
  date_created: string;
  date_updated: string;
}

export interface ArchiveSource {
  key: string;
  text: string;
  url: string | null;
  score: number | null;
  title: string | null;
}

export interface ArchiveMessage {
  type: 'message';
  session_id: string;
  id: string;
  kind: NewMessage['kind'];
  origin: NewMessage['origin'];
  role: string;
  identity: string | null;
  assistant_id: string | null;
  content: unknown;
  meta: unknown;
  text: string | null;
  confidence: number | null;
  tool_name: string | null;
  date_created: string;
  date_updated: string;
  sources: ArchiveSource[];
}

export type ArchiveLine = ArchiveHeader | ArchiveSession | ArchiveMessage;

export function archiveHeader(account: { sid: string; name: string; createdAt: Date }): ArchiveHeader {
  return { type: 'archive', version: ARCHIVE_VERSION, account: { sid: account.sid, name: account.name, date_created: account.createdAt.toISOString() } };
}

/** Store → archive: a session, with its assistant's own id. */
export function archiveSessionFromStore(session: Session, assistantId: string | null): ArchiveSession {
  return {
    type: 'session',
    id: session.sessionId,
    name: session.name,
    assistant_id: assistantId,
    identity: session.identity,
    verified: session.verified,
    date_created: session.createdAt.toISOString(),
    date_updated: session.updatedAt.toISOString(),
  };
}

/** Store → archive: a message (all columns read) and its sources, in key order. */
export function archiveMessageFromStore(item: TimelineItem, sources: readonly TimelineItem[], sessionId: string): ArchiveMessage {
  return {
    type: 'message',
    session_id: sessionId,
    id: item.messageId ?? '',
    kind: item.kind as NewMessage['kind'],
    origin: item.origin,
    role: item.role ?? '',
    identity: item.identity,
    assistant_id: item.assistantId,
    content: item.content,
    meta: item.meta,
    text: item.text,
    confidence: item.confidence,
    tool_name: item.toolName,
    date_created: item.createdAt.toISOString(),
    date_updated: item.updatedAt.toISOString(),
    sources: sources.map((source) => ({ key: source.sourceKey ?? '', text: source.text ?? '', url: source.url, score: source.score, title: source.title })),
  };
}

const nullableString = z.string().nullable();

const archiveHeaderSchema = z.object({
  type: z.literal('archive'),
  version: z.literal(ARCHIVE_VERSION, { message: `expected version ${ARCHIVE_VERSION}: this gateway reads archives of version ${ARCHIVE_VERSION} only` }),
  account: z.object({ sid: z.string().regex(/^AC[0-9a-fA-F]{32}$/, 'expected "AC" and 32 hex digits'), name: z.string(), date_created: isoDateTime }),
});

const archiveSessionSchema = z.object({
  type: z.literal('session'),
  id: z.string().min(1, 'expected the session id'),
  name: nullableString,
  assistant_id: nullableString,
  identity: nullableString,
  verified: z.boolean(),
  date_created: isoDateTime,
  date_updated: isoDateTime,
});

const archiveMessageSchema = z.object({
  type: z.literal('message'),
  session_id: z.string().min(1, 'expected the session id'),
  id: z.string().min(1, 'expected the message id'),
  kind: z.enum(['CHAT_MESSAGE', 'TOOL_CALL', 'KNOWLEDGE_CALL']),
  origin: z.enum(['TWILIO', 'ANALYTICS']),
  role: z.string().min(1, 'expected the role'),
  identity: nullableString,
  assistant_id: nullableString,
  content: z.unknown(),
  meta: z.unknown(),
  text: nullableString,
  confidence: z.number().nullable(),
  tool_name: nullableString,
  date_created: isoDateTime,
  date_updated: isoDateTime,
  sources: z.array(z.object({ key: z.string(), text: z.string(), url: nullableString, score: z.number().nullable(), title: nullableString })),
});

const archiveLineSchemas = { archive: archiveHeaderSchema, session: archiveSessionSchema, message: archiveMessageSchema } as const;

/** Whether a value from outside is an archive's header line: what tells an archive from the other formats. */
export function looksLikeArchiveHeader(value: unknown): boolean {
  return typeof value === 'object' && value !== null && (value as { type?: unknown }).type === 'archive';
}

/** A line of an archive from outside, checked field by field; `where` names it in errors. */
export function parseArchiveLine(value: unknown, where: string): ArchiveLine {
  const type = typeof value === 'object' && value !== null ? (value as { type?: unknown }).type : undefined;
  const schema = typeof type === 'string' ? archiveLineSchemas[type as keyof typeof archiveLineSchemas] : undefined;
  if (!schema) throw new GatewayError('invalid_argument', `${where}: expected an archive line, whose "type" is "archive", "session" or "message"`);
  return parseOrExplain<ArchiveLine>(schema as z.ZodType<ArchiveLine>, value, where);
}

/** Archive → store: the message as it was stored, sources included. */
export function archiveMessageToStore(message: ArchiveMessage): NewMessage {
  return {
    kind: message.kind,
    origin: message.origin,
    messageId: message.id,
    role: message.role,
    identity: message.identity,
    assistantId: message.assistant_id,
    content: (message.content ?? null) as NewMessage['content'],
    meta: (message.meta ?? null) as NewMessage['meta'],
    text: message.text,
    confidence: message.confidence,
    toolName: message.tool_name,
    createdAt: new Date(message.date_created),
    updatedAt: new Date(message.date_updated),
    sources: message.sources.map((source) => ({ ...source })),
  };
}

/** Archive → store: what a session is created with. */
export function archiveSessionToStore(session: ArchiveSession) {
  return {
    sessionId: session.id,
    name: session.name,
    assistantId: session.assistant_id,
    identity: session.identity,
    verified: session.verified,
    createdAt: new Date(session.date_created),
    updatedAt: new Date(session.date_updated),
  };
}
