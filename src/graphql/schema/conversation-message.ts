import { builder } from '../builder.js';
import { Message, Role } from './message.js';

const typeNameOfKind = { CHAT_MESSAGE: 'ChatMessage', TOOL_CALL: 'ToolCall', KNOWLEDGE_CALL: 'KnowledgeCall' } as const;

/** What both legacy models carry for every message (sources aside), kept verbatim. */
export const ConversationMessage = builder.prismaInterface('TimelineItem', {
  variant: 'ConversationMessage',
  description: 'A chat message, tool call or knowledge call: everything but a source.',
  interfaces: [Message, builder.nodeInterfaceRef()],
  resolveType: (item) => typeNameOfKind[item.kind as keyof typeof typeNameOfKind],
  fields: (t) => ({
    messageId: t.string({ description: 'The raw message id ("aia_msg_…" or the analytics id).', resolve: (item) => item.messageId ?? '' }),
    role: t.field({ type: Role, resolve: (item) => item.role as 'user' }),
    identity: t.exposeString('identity', { nullable: true }),
    assistantId: t.exposeString('assistantId', { nullable: true, description: '"aia_asst_…", for messages that came with one.' }),
    text: t.string({ description: 'The message text; for tool and knowledge calls, derived from `content` (empty when it has none).', resolve: (item) => item.text ?? '' }),
    content: t.expose('content', { type: 'JSON', nullable: true, description: 'Twilio `content`, exactly as stored.' }),
    meta: t.expose('meta', {
      type: 'JSON',
      nullable: true,
      description: 'Twilio `meta` as stored; for analytics messages, the metadata keys besides sources and confidence.',
    }),
    origin: t.exposeString('origin', { description: 'The API the message came in through: TWILIO or ANALYTICS.' }),
  }),
});
