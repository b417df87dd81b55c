import type { NewMessage, NewSource } from '../store/append.js';

export interface AnalyticsSource {
  text: string;
  url: string | null;
  score: number;
  title?: string;
}

/** AnalyticsChatMessage, as "Get Conversation Messages" returns it (CONTRACT.md section 2). */
export interface AnalyticsMessage {
  id: string;
  role: 'user' | 'assistant' | 'human_agent';
  content: string;
  timestamp: string;
  metadata?: { sources?: Record<string, AnalyticsSource>; confidence?: number; [key: string]: unknown };
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
