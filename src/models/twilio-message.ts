import type { NewMessage } from '../store/append.js';
import { z } from 'zod';
import type { OptionalColumn, TimelineItem } from '../store/timeline.js';
import { analyticsMetadata } from './analytics-message.js';
import { dateSecondsText } from './date-text.js';
import { isoDateTime, jsonObject, parseOrExplain } from './validation.js';

/** A message as the Twilio Conversation History API returns it. */
export interface TwilioMessage {
  id: string;
  account_sid: string;
  assistant_id: string | null;
  session_id: string;
  identity: string | null;
  role: string;
  content: Record<string, unknown>;
  meta: Record<string, unknown>;
  date_created: string;
  date_updated: string;
}

export const twilioKindOfRole = {
  user: 'CHAT_MESSAGE',
  assistant: 'CHAT_MESSAGE',
  human_agent: 'CHAT_MESSAGE',
  tool: 'TOOL_CALL',
  knowledge: 'KNOWLEDGE_CALL',
} as const satisfies Record<string, NewMessage['kind']>;

function firstString(object: Record<string, unknown>, keys: readonly string[]): string | null {
  for (const key of keys) {
    const value = object[key];
    if (typeof value === 'string') return value;
  }
  return null;
}

const twilioMessageSchema = z.object({
  id: z.string().regex(/^aia_msg_.+$/, 'expected an id starting "aia_msg_"'),
  account_sid: z.string().regex(/^AC[0-9a-fA-F]{32}$/, 'expected "AC" and 32 hex digits').optional(),
  assistant_id: z.string().nullable().optional(),
  session_id: z.string().min(1, 'expected the session id'),
  identity: z.string().nullable().optional(),
  role: z.enum(Object.keys(twilioKindOfRole) as [keyof typeof twilioKindOfRole]),
  content: jsonObject,
  meta: jsonObject,
  date_created: isoDateTime,
  date_updated: isoDateTime,
});

/** The fields the official helper library names in camelCase (its `list()` output saved as JSON), by their REST names. */
const libraryFieldNames = {
  account_sid: 'accountSid',
  assistant_id: 'assistantId',
  session_id: 'sessionId',
  date_created: 'dateCreated',
  date_updated: 'dateUpdated',
} as const;

const { account_sid, assistant_id, session_id, date_created, date_updated, ...sharedFields } = twilioMessageSchema.shape;
const libraryMessageSchema = z.object({
  ...sharedFields,
  accountSid: account_sid,
  assistantId: assistant_id,
  sessionId: session_id,
  dateCreated: date_created,
  dateUpdated: date_updated,
});

/**
 * Which shape a Twilio message from outside is in: the REST API's (snake_case) when it has any of
 * its own fields, else the helper library's (camelCase) when it has any of those; null for neither.
 */
export function twilioMessageShape(value: unknown): 'rest' | 'library' | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const has = (key: string) => Object.hasOwn(value, key);
  if (Object.keys(libraryFieldNames).some(has)) return 'rest';
  if (Object.values(libraryFieldNames).some(has)) return 'library';
  return null;
}

/** A Twilio message from outside (an import), in either shape, checked field by field in its own names; `where` names it in errors. */
export function parseTwilioMessage(value: unknown, where: string): TwilioMessage {
  const message =
    twilioMessageShape(value) === 'library'
      ? (({ accountSid, assistantId, sessionId, dateCreated, dateUpdated, ...shared }) => ({
          ...shared,
          account_sid: accountSid,
          assistant_id: assistantId,
          session_id: sessionId,
          date_created: dateCreated,
          date_updated: dateUpdated,
        }))(parseOrExplain(libraryMessageSchema, value, where))
      : parseOrExplain(twilioMessageSchema, value, where);
  return { ...message, account_sid: message.account_sid ?? '', assistant_id: message.assistant_id ?? null, identity: message.identity ?? null };
}

/** Twilio → store: `content` and `meta` are kept verbatim; text, tool name and confidence are derived where present. */
export function twilioMessageToStore(message: TwilioMessage): NewMessage {
  const kind = twilioKindOfRole[message.role as keyof typeof twilioKindOfRole];
  const confidence = message.meta.confidence;
  return {
    kind,
    origin: 'TWILIO',
    messageId: message.id,
    role: message.role,
    identity: message.identity,
    assistantId: message.assistant_id,
    content: message.content as NewMessage['content'],
    meta: message.meta as NewMessage['meta'],
    text: firstString(message.content, ['text', 'message', 'body', 'content']),
    confidence: typeof confidence === 'number' ? confidence : null,
    toolName: kind === 'TOOL_CALL' ? (firstString(message.content, ['name', 'tool_name', 'tool']) ?? firstString(message.meta, ['tool_name'])) : null,
    createdAt: new Date(message.date_created),
    updatedAt: new Date(message.date_updated),
    sources: [],
  };
}

/** The session a message belongs to, for the fields Twilio repeats on every message. */
export interface TwilioSessionContext {
  sessionId: string;
  accountSid: string;
  assistantId: string | null;
  identity: string | null;
}

/** ISO 8601 UTC with second precision, as Twilio writes dates: 2025-01-01T10:00:00Z. */
export function twilioDate(date: Date | string): string {
  return dateSecondsText(typeof date === 'string' ? new Date(date) : date);
}

/** An analytics message id as a Twilio message id: "aia_msg_" in front unless it is there already. */
export function twilioMessageId(messageId: string): string {
  return messageId.startsWith('aia_msg_') ? messageId : `aia_msg_${messageId}`;
}

/**
 * The optional columns twilioMessageFromStore reads of a message, and of its sources (the account
 * comes from the session; a page leaves the others out).
 */
export const TWILIO_COLUMNS: readonly OptionalColumn[] = ['messageId', 'role', 'confidence', 'createdAt', 'origin', 'identity', 'assistantId', 'text', 'content', 'meta', 'updatedAt'];
export const TWILIO_SOURCE_COLUMNS: readonly OptionalColumn[] = ['sourceKey', 'text', 'url', 'score', 'title'];

/**
 * Store → Twilio, from a stored message and its sources. A Twilio message comes back as it was
 * stored. An analytics message is shown with its id prefixed "aia_msg_", `content` {"text": …} and
 * `meta` its analytics metadata ({} when none); identity and assistant fall back to the session's.
 */
export function twilioMessageFromStore(message: TimelineItem, sources: readonly TimelineItem[], session: TwilioSessionContext): TwilioMessage {
  const fromTwilio = message.origin === 'TWILIO';
  const messageId = message.messageId ?? '';
  return {
    id: fromTwilio ? messageId : twilioMessageId(messageId),
    account_sid: session.accountSid,
    assistant_id: message.assistantId ?? session.assistantId,
    session_id: session.sessionId,
    identity: message.identity ?? session.identity,
    role: message.role ?? '',
    content: fromTwilio ? ((message.content ?? {}) as Record<string, unknown>) : { text: message.text ?? '' },
    meta: fromTwilio ? ((message.meta ?? {}) as Record<string, unknown>) : (analyticsMetadata(message, sources) ?? {}),
    date_created: twilioDate(message.createdAt),
    date_updated: twilioDate(message.updatedAt),
  };
}
