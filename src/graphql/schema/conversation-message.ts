import { builder } from '../builder.js';
import { ChatMessage } from './chat-message.js';
import { KnowledgeCall } from './knowledge-call.js';
import { Role } from './message.js';
import { ToolCall } from './tool-call.js';

// What both legacy models carry for every message (sources excepted), kept verbatim.
for (const ref of [ChatMessage, ToolCall, KnowledgeCall]) {
  builder.prismaObjectFields(ref, (t) => ({
    messageId: t.string({ description: 'The raw message id ("aia_msg_…" or the analytics id).', resolve: (item) => item.messageId ?? '' }),
    role: t.field({ type: Role, resolve: (item) => item.role as 'user' }),
    identity: t.exposeString('identity', { nullable: true }),
    assistantId: t.exposeString('assistantId', { nullable: true, description: '"aia_asst_…", for messages that came with one.' }),
    content: t.expose('content', { type: 'JSON', nullable: true, description: 'Twilio `content`, exactly as stored.' }),
    meta: t.expose('meta', {
      type: 'JSON',
      nullable: true,
      description: 'Twilio `meta` as stored; for analytics messages, the metadata keys besides sources and confidence.',
    }),
    origin: t.exposeString('origin', { description: 'The API the message came in through: TWILIO or ANALYTICS.' }),
  }));
}
