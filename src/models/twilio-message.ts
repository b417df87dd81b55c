import type { NewMessage } from '../store/append.js';

/** A message as the Twilio Conversation History API returns it (CONTRACT.md section 1). */
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
