import { builder } from '../builder.js';
import { sourcesOfMessage } from '../context.js';
import { ConversationMessage } from './conversation-message.js';
import { findItemOfKind, Message } from './message.js';
import { Source } from './source.js';

export const ChatMessage = builder.prismaNode('TimelineItem', {
  variant: 'ChatMessage',
  description: 'A message of a user, an assistant or a human agent.',
  interfaces: [ConversationMessage, Message],
  id: { field: 'id' },
  findUnique: findItemOfKind('CHAT_MESSAGE'),
  nullable: true,
  fields: (t) => ({
    confidence: t.exposeFloat('confidence', { nullable: true }),
    sources: t.field({ type: [Source], description: 'The sources this message cites, in key order: at most MAX_SOURCES_PER_MESSAGE (1000 by default), which is what the field costs.', resolve: (item, _args, context) => sourcesOfMessage(context, item.id) }),
  }),
});
