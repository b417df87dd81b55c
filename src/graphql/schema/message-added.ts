import { initContextCache } from '@pothos/core';
import { mapAsyncIterator } from 'graphql-yoga';
import { followSession } from '../../live/session-feed.js';
import { timelineCursor } from '../../store/cursors.js';
import type { Session as SessionRow } from '../../store/sessions.js';
import type { TimelineItem } from '../../store/timeline.js';
import { builder } from '../builder.js';
import { Message } from './message.js';
import { Session } from './session.js';

interface MessageAddedShape {
  cursor: string;
  message: TimelineItem;
  session: SessionRow;
}

const MessageAdded = builder.objectRef<MessageAddedShape>('MessageAdded').implement({
  description: 'A timeline item just appended to a session.',
  fields: (t) => ({
    cursor: t.exposeString('cursor', { description: 'Pass as `after` to Session.messages to resume from this item.' }),
    message: t.field({ type: Message, resolve: (added) => added.message }),
    session: t.field({ type: Session, resolve: (added) => added.session }),
  }),
});

builder.subscriptionField('messageAdded', (t) =>
  t.field({
    type: MessageAdded,
    description:
      'Every timeline item appended to one of your sessions (messages and their sources, in order), whichever gateway process received the write. ' +
      'With `after`, first every item after that cursor, then live: reconnecting with the last cursor received resumes exactly where the stream left off.',
    args: {
      sessionId: t.arg.id({ required: true, description: 'The session id or name.' }),
      after: t.arg.string({ required: false, description: 'A cursor of this session (from Session.messages or an earlier MessageAdded) to resume after.' }),
    },
    subscribe: async (_root, args, context) =>
      mapAsyncIterator(await followSession(context, String(args.sessionId), args.after ?? undefined), ({ session, item }) => ({
        cursor: timelineCursor(context.sealingKey, session.id, item.seq),
        message: item,
        session,
      })),
    // Each event is executed with the subscription's one context: a fresh context cache per event,
    // so its loaders read the session as it is now rather than answering from the first event's pages.
    resolve: (added: MessageAddedShape, _args, context) => {
      Object.assign(context, initContextCache());
      return added;
    },
  }),
);
