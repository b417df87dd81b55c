import type { Prisma } from '../../store/generated/prisma/client.js';
import { appendMessages, type NewMessage } from '../../store/append.js';
import { GatewayError } from '../../errors.js';
import { checkNewMessage, type MessageLimits } from '../../models/validation.js';
import { findSession } from '../../store/sessions.js';
import { readBudgetExceeded } from '../../store/read-budget.js';
import { loadTimelineWindows } from '../../store/timeline.js';
import { builder } from '../builder.js';
import { timelineLoaders } from '../context.js';
import { invalidArgument } from '../errors.js';
import { Message, MessageType, Role } from './message.js';
import { Session } from './session.js';

/** At most this many messages in one call: a bigger batch belongs in `conversation-gateway import`. */
export const MAX_MESSAGES_PER_APPEND = 1000;

const SourceInput = builder.inputType('SourceInput', {
  description: 'A source the message cites or a knowledge call returned.',
  fields: (t) => ({
    key: t.string({ description: 'The key it is cited by; "1", "2"… in order when left out.' }),
    text: t.string({ required: true }),
    url: t.string(),
    score: t.float(),
    title: t.string(),
  }),
});

const MessageInput = builder.inputType('MessageInput', {
  description:
    'A message to append. With `content` it is stored as a Twilio message (`content` and `meta` verbatim); without, as an analytics message (`text`, `meta` as its other metadata).',
  fields: (t) => ({
    messageId: t.string({ required: true, description: 'Your id for the message; appending the same message again is a no-op.' }),
    type: t.field({ type: MessageType, defaultValue: 'CHAT_MESSAGE' }),
    role: t.field({ type: Role, required: true }),
    text: t.string(),
    content: t.field({ type: 'JSON' }),
    meta: t.field({ type: 'JSON' }),
    identity: t.string(),
    assistantId: t.string(),
    confidence: t.float(),
    toolName: t.string(),
    createdAt: t.field({ type: 'DateTime', description: 'Defaults to now.' }),
    sources: t.field({ type: [SourceInput] }),
  }),
});

const rolesOfType: Record<string, readonly string[]> = {
  CHAT_MESSAGE: ['user', 'assistant', 'human_agent'],
  TOOL_CALL: ['tool'],
  KNOWLEDGE_CALL: ['knowledge'],
};

function isJsonObject(value: unknown): value is Prisma.InputJsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

type MessageInputShape = typeof MessageInput.$inferInput;

/** Checks one MessageInput against the rules GraphQL's types cannot express (and the store's, see checkNewMessage), naming the field at fault. */
export function messageInputToStore(input: MessageInputShape, where: string, now: Date, limits?: MessageLimits): NewMessage {
  const type = input.type ?? 'CHAT_MESSAGE';
  const fail = (field: string, problem: string) => {
    throw invalidArgument(`${where}.${field}: ${problem}`);
  };
  if (!input.messageId.trim()) fail('messageId', 'must not be empty');
  if (type === 'SOURCE') fail('type', 'a source is appended in the `sources` of the message it belongs to');
  if (!rolesOfType[type]!.includes(input.role)) fail('role', `a ${type} has role ${rolesOfType[type]!.map((r) => r.toUpperCase()).join(' or ')}, not ${input.role.toUpperCase()}`);
  if (input.content != null && !isJsonObject(input.content)) fail('content', 'must be a JSON object');
  if (input.meta != null && !isJsonObject(input.meta)) fail('meta', 'must be a JSON object');
  const sources = input.sources ?? [];
  if (sources.length && type === 'TOOL_CALL') fail('sources', 'a tool call has no sources');
  const content = (input.content ?? null) as Prisma.InputJsonObject | null;
  const createdAt = input.createdAt ?? now;
  const derivedText = content && typeof content.text === 'string' ? content.text : null;
  const message: NewMessage = {
    kind: type as NewMessage['kind'],
    origin: content ? 'TWILIO' : 'ANALYTICS',
    messageId: input.messageId,
    role: input.role,
    identity: input.identity ?? null,
    assistantId: input.assistantId ?? null,
    content,
    meta: (input.meta ?? (content ? {} : null)) as Prisma.InputJsonObject | null,
    text: input.text ?? derivedText,
    confidence: input.confidence ?? null,
    toolName: input.toolName ?? null,
    createdAt,
    updatedAt: createdAt,
    sources: sources.map((source, index) => ({
      key: source.key ?? String(index + 1),
      text: source.text,
      url: source.url ?? null,
      score: source.score ?? null,
      title: source.title ?? null,
    })),
  };
  return checkNewMessage(message, where, limits);
}

interface AppendMessagesResult {
  session: typeof Session.$inferType;
  appended: { afterSeq: number; throughSeq: number } | null;
  messagesCreated: number;
  messagesAlreadyPresent: number;
  sourcesCreated: number;
}

const AppendMessagesPayload = builder.objectRef<AppendMessagesResult>('AppendMessagesPayload').implement({
  fields: (t) => ({
    session: t.field({ type: Session, resolve: (payload) => payload.session }),
    messagesCreated: t.exposeInt('messagesCreated'),
    messagesAlreadyPresent: t.exposeInt('messagesAlreadyPresent', {
      description: 'Messages that were stored already, identically, and were left as they were.',
    }),
    sourcesCreated: t.exposeInt('sourcesCreated'),
    items: t.field({
      type: [Message],
      description: 'What this call added to the timeline, messages and their sources, in order.',
      resolve: async ({ session, appended }, _args, context) => {
        if (!appended) return [];
        const { budget, oneAtATime } = timelineLoaders(context);
        // What the request's other reads held before this one, captured when it runs: the refusal names all of it.
        const { items, bytes, complete, heldBefore } = await oneAtATime(async () => {
          const heldBefore = budget.held;
          const [page] = await loadTimelineWindows(
            context.prisma,
            [{ sessionPk: session.id, afterSeq: appended.afterSeq, beforeSeq: appended.throughSeq + 1, limit: appended.throughSeq - appended.afterSeq, newestFirst: false, filter: {} }],
            budget,
          );
          return { ...page!, heldBefore };
        });
        if (!complete) throw readBudgetExceeded(heldBefore + bytes, budget);
        return items;
      },
    }),
  }),
});

builder.mutationField('appendMessages', (t) =>
  t.field({
    type: AppendMessagesPayload,
    description: `Appends messages (with their sources) to the end of a session, in order, all or none. Idempotent by messageId: a message already stored identically is left alone, one stored differently is a CONFLICT and nothing is written. At most ${MAX_MESSAGES_PER_APPEND} messages a call.`,
    args: {
      sessionId: t.arg.id({ required: true, description: 'The session id or name.' }),
      messages: t.arg({ type: [MessageInput], required: true }),
    },
    resolve: async (_root, args, context) => {
      if (args.messages.length > MAX_MESSAGES_PER_APPEND) {
        throw invalidArgument(`messages: at most ${MAX_MESSAGES_PER_APPEND} a call, got ${args.messages.length}; use conversation-gateway import for more`);
      }
      const session = await findSession(context.prisma, context.account.sid, String(args.sessionId));
      if (!session) throw new GatewayError('not_found', `You have no session "${args.sessionId}"`);
      const now = new Date();
      const messages = args.messages.map((message, index) => messageInputToStore(message, `messages[${index}]`, now, context.messageLimits));
      const result = await appendMessages(context.prisma, session, messages);
      if (result.appended) context.events.published({ accountSid: session.accountSid, sessionPk: String(session.id), ...result.appended });
      return {
        session,
        appended: result.appended,
        messagesCreated: result.messagesCreated,
        messagesAlreadyPresent: result.messagesPresent,
        sourcesCreated: result.sourcesCreated,
      };
    },
  }),
);
