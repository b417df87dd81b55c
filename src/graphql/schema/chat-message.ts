import { builder } from '../builder.js';
import { findItemOfKind, Message } from './message.js';
import { Source } from './source.js';

export const ChatMessage = builder.prismaNode('TimelineItem', {
  variant: 'ChatMessage',
  description: 'A message of a user, an assistant or a human agent.',
  interfaces: [Message],
  id: { field: 'id' },
  findUnique: findItemOfKind('CHAT_MESSAGE'),
  nullable: true,
  fields: (t) => ({
    text: t.string({ resolve: (item) => item.text ?? '' }),
    confidence: t.exposeFloat('confidence', { nullable: true }),
    sources: t.relation('sources', { type: Source, query: { orderBy: { seq: 'asc' } }, description: 'The sources this message cites, in key order.' }),
  }),
});
