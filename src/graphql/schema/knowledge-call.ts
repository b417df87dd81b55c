import { builder } from '../builder.js';
import { sourcesOfMessage } from '../context.js';
import { ConversationMessage } from './conversation-message.js';
import { findItemOfKind, Message } from './message.js';
import { Source } from './source.js';

export const KnowledgeCall = builder.prismaNode('TimelineItem', {
  variant: 'KnowledgeCall',
  description: 'A knowledge lookup the assistant made (Twilio role "knowledge").',
  interfaces: [ConversationMessage, Message],
  id: { field: 'id' },
  findUnique: findItemOfKind('KNOWLEDGE_CALL'),
  nullable: true,
  fields: (t) => ({
    sources: t.field({ type: [Source], description: 'The sources this call returned, in key order: at most MAX_SOURCES_PER_MESSAGE (1000 by default), which is what the field costs.', resolve: (item, _args, context) => sourcesOfMessage(context, item.id) }),
  }),
});
