import { encodeKeysetCursor } from '../../store/keyset-cursor.js';
import { GatewayError } from '../../errors.js';
import { findSession, type Session as SessionRow } from '../../store/sessions.js';
import { loadTimelineWindows, type TimelineItem } from '../../store/timeline.js';
import { MAX_PAGE_SIZE } from '../connection-args.js';
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
      'Every timeline item appended to one of your sessions from now on (messages and their sources, in order), whichever gateway process received the write.',
    args: { sessionId: t.arg.id({ required: true, description: 'The session id or name.' }) },
    subscribe: async function* (_root, args, context) {
      const session = await findSession(context.prisma, context.account.sid, String(args.sessionId));
      if (!session) throw new GatewayError('not_found', `You have no session "${args.sessionId}"`);
      for await (const event of context.events.bus.subscribe('messagesAppended', String(session.id))) {
        // Events carry positions only; the items are read here, under the subscriber's own account.
        if (event.accountSid !== context.account.sid) continue;
        for (let after = event.afterSeq; after < event.throughSeq; ) {
          const [{ items }] = await loadTimelineWindows(context.prisma, [
            { sessionPk: session.id, afterSeq: after, beforeSeq: event.throughSeq + 1, limit: MAX_PAGE_SIZE, newestFirst: false, filter: {} },
          ]);
          if (!items.length) break;
          for (const message of items) yield { cursor: encodeKeysetCursor(session.id, message.seq), message, session };
          after = items.at(-1)!.seq;
        }
      }
    },
    resolve: (added: MessageAddedShape) => added,
  }),
);
