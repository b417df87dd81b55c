import { z } from 'zod';
import type { NewMessage, NewSource } from '../store/append.js';
import type { CitedSource } from '../store/chat-message-pages.js';
import type { TimelineItem } from '../store/timeline.js';
import { isoDateTime, parseOrExplain } from './validation.js';

export interface AnalyticsSource {
  text: string;
  url: string | null;
  score: number;
  title?: string;
}

/** AnalyticsChatMessage, as "Get Conversation Messages" returns it. */
export interface AnalyticsMessage {
  id: string;
  role: 'user' | 'assistant' | 'human_agent';
  content: string;
  timestamp: string;
  metadata?: { sources?: Record<string, AnalyticsSource>; confidence?: number; [key: string]: unknown };
}

const analyticsMessageSchema = z.object({
  id: z.string().min(1, 'expected the message id'),
  role: z.enum(['user', 'assistant', 'human_agent']),
  content: z.string(),
  timestamp: isoDateTime,
  metadata: z
    .looseObject({
      sources: z
        .record(
          z.string(),
          z.object({ text: z.string(), url: z.string().nullable(), score: z.number(), title: z.string().optional() }),
        )
        .optional(),
      confidence: z.number().optional(),
    })
    .optional(),
});

/** An AnalyticsChatMessage from outside (an import), checked field by field; `where` names it in errors. */
export function parseAnalyticsMessage(value: unknown, where: string): AnalyticsMessage {
  return parseOrExplain(analyticsMessageSchema, value, where) as AnalyticsMessage;
}

/** Whether a value from outside has an analytics message's shape: a string `content` and a `timestamp`. */
export function looksLikeAnalyticsMessage(value: unknown): boolean {
  return typeof value === 'object' && value !== null && typeof (value as { content?: unknown }).content === 'string' && 'timestamp' in value;
}

/**
 * Analytics → store: `content` becomes the text, `metadata.sources` become sources (in key order),
 * `metadata.confidence` the confidence, and the other metadata keys are kept in `meta`
 * (null when the message had no metadata at all, so it reads back without one).
 */
export function analyticsMessageToStore(message: AnalyticsMessage): NewMessage {
  const { sources = {}, confidence, ...otherMetadata } = message.metadata ?? {};
  const createdAt = new Date(message.timestamp);
  return {
    kind: 'CHAT_MESSAGE',
    origin: 'ANALYTICS',
    messageId: message.id,
    role: message.role,
    identity: null,
    assistantId: null,
    content: null,
    meta: message.metadata ? (otherMetadata as NewMessage['meta']) : null,
    text: message.content,
    confidence: confidence ?? null,
    toolName: null,
    createdAt,
    updatedAt: createdAt,
    sources: Object.entries(sources).map(
      ([key, source]): NewSource => ({
        key,
        text: source.text,
        url: source.url ?? null,
        score: source.score,
        title: source.title ?? null,
      }),
    ),
  };
}

/** The columns of a stored chat message the analytics view prints (a timeline item, or a row of readChatMessagesPage). */
export type StoredChatMessage = Pick<TimelineItem, 'messageId' | 'role' | 'text' | 'confidence' | 'createdAt' | 'origin' | 'meta'>;

function isEmptyObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0;
}

/**
 * The analytics `metadata` of a stored message: `sources` (keys as stored, "1", "2"…), `confidence`,
 * then every other key the message came with (for a Twilio message, its `meta`). Undefined when the
 * message has none: an analytics message that came without metadata, or a Twilio message with no
 * sources, no confidence and an empty `meta`.
 */
export function analyticsMetadata(message: StoredChatMessage, sources: readonly CitedSource[]): AnalyticsMessage['metadata'] {
  const others = typeof message.meta === 'object' && message.meta !== null && !Array.isArray(message.meta) ? (message.meta as Record<string, unknown>) : {};
  const hasNone =
    !sources.length && message.confidence == null && (message.origin === 'ANALYTICS' ? message.meta === null : isEmptyObject(others));
  if (hasNone) return undefined;
  return {
    ...(sources.length
      ? {
          sources: Object.fromEntries(
            sources.map((source) => [
              source.sourceKey ?? '',
              { text: source.text ?? '', url: source.url, score: source.score ?? 0, ...(source.title != null ? { title: source.title } : {}) },
            ]),
          ),
        }
      : {}),
    ...(message.confidence != null ? { confidence: message.confidence } : {}),
    ...others,
  };
}

/** Store → analytics: one AnalyticsChatMessage, keys in the documented order, from a stored chat message and its sources. */
export function analyticsMessageFromStore(message: StoredChatMessage, sources: readonly CitedSource[]): AnalyticsMessage {
  const metadata = analyticsMetadata(message, sources);
  return {
    id: message.messageId ?? '',
    role: message.role as AnalyticsMessage['role'],
    content: message.text ?? '',
    timestamp: message.createdAt.toISOString(),
    ...(metadata ? { metadata } : {}),
  };
}
