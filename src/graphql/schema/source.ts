import { loadItemsById } from '../../store/timeline.js';
import { builder } from '../builder.js';
import { timelineLoaders } from '../context.js';
import { findItemOfKind, Message } from './message.js';

export const Source = builder.prismaNode('TimelineItem', {
  variant: 'Source',
  description: 'A retrieved source. It stands in the timeline right after the message it belongs to.',
  interfaces: [Message],
  id: { field: 'id' },
  findUnique: findItemOfKind('SOURCE'),
  nullable: true,
  fields: (t) => ({
    key: t.string({ description: 'The key the message cites it by: "1", "2"…', resolve: (item) => item.sourceKey ?? '' }),
    text: t.string({ resolve: (item) => item.text ?? '' }),
    url: t.exposeString('url', { nullable: true }),
    score: t.exposeFloat('score', { nullable: true }),
    title: t.exposeString('title', { nullable: true }),
    message: t.loadable({
      type: Message,
      description: 'The answer that cites it, or the knowledge call that returned it.',
      load: (ids, context) => {
        const { budget, oneAtATime } = timelineLoaders(context);
        return oneAtATime(() => loadItemsById(context.prisma, context.account.sid, ids as bigint[], budget));
      },
      resolve: (item) => item.parentId!,
    }),
  }),
});
