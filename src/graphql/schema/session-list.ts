import { checkSessionFilter, countSessionList, readSessionPage, type SessionList } from '../../store/session-pages.js';
import { sessionSummaryOf, type SessionSummary as SessionSummaryRow } from '../../store/session-summary.js';
import { builder } from '../builder.js';
import { relayConnection } from '../relay-connection.js';
import { Session } from './session.js';

const SessionSummary = builder.objectRef<SessionSummaryRow>('SessionSummary').implement({
  description: "What a session holds, kept current by every append: reading it costs nothing beyond the session itself.",
  fields: (t) => ({
    itemCount: t.exposeInt('itemCount', { description: 'Timeline items of every kind, sources included.' }),
    messageCount: t.exposeInt('messageCount', { description: 'Chat messages (of users, assistants and human agents).' }),
    toolCallCount: t.exposeInt('toolCallCount'),
    knowledgeCallCount: t.exposeInt('knowledgeCallCount'),
    sourceCount: t.exposeInt('sourceCount'),
    firstMessageAt: t.expose('firstMessageAt', { type: 'DateTime', nullable: true, description: "The earliest item's `createdAt`; null while the session is empty." }),
    lastMessageAt: t.expose('lastMessageAt', { type: 'DateTime', nullable: true, description: "The latest item's `createdAt`; null while the session is empty." }),
    averageConfidence: t.exposeFloat('averageConfidence', { nullable: true, description: 'The mean confidence of the messages that carry one; null when none does.' }),
  }),
});

builder.prismaObjectField(Session, 'summary', (t) => t.field({ type: SessionSummary, resolve: sessionSummaryOf }));

const SessionFilter = builder.inputType('SessionFilter', {
  description: 'Which sessions to list; every condition is optional, and they combine with AND.',
  fields: (t) => ({
    identity: t.string({ description: "The end user's identity, exactly." }),
    assistantId: t.string({ description: 'The assistant\'s id, "aia_asst_…".' }),
    createdAfter: t.field({ type: 'DateTime' }),
    createdBefore: t.field({ type: 'DateTime' }),
    lastMessageAfter: t.field({ type: 'DateTime', description: "Sessions whose latest item was created after this (an empty session has none)." }),
    lastMessageBefore: t.field({ type: 'DateTime' }),
    text: t.string({ description: 'Sessions with at least one item matching this full-text query (as `search` takes it).' }),
  }),
});

const SessionOrder = builder.enumType('SessionOrder', {
  description: "A session list's order. Last activity is the latest item's time, or the session's creation while it is empty.",
  values: {
    CREATED_AT_ASC: { description: 'Oldest first (the default).' },
    CREATED_AT_DESC: { description: 'Newest first.' },
    LAST_MESSAGE_AT_ASC: { description: 'Least recently active first.' },
    LAST_MESSAGE_AT_DESC: { description: 'Most recently active first.' },
  } as const,
});

builder.queryField('sessions', (t) =>
  t.connection({
    type: Session,
    description:
      'Your sessions, filtered and ordered. Cursors are positions in this list and are refused by a list of another filter or order; ' +
      'a page continues right after the previous one, whatever was created or appended meanwhile (a session that gets a new message takes its new place).',
    args: {
      filter: t.arg({ type: SessionFilter }),
      orderBy: t.arg({ type: SessionOrder, defaultValue: 'CREATED_AT_ASC' }),
    },
    resolve: async (_root, args, context) => {
      const list: SessionList = {
        accountSid: context.account.sid,
        sealingKey: context.sealingKey,
        order: args.orderBy ?? 'CREATED_AT_ASC',
        filter: checkSessionFilter({
          identity: args.filter?.identity ?? undefined,
          assistantId: args.filter?.assistantId ?? undefined,
          createdAfter: args.filter?.createdAfter ?? undefined,
          createdBefore: args.filter?.createdBefore ?? undefined,
          lastMessageAfter: args.filter?.lastMessageAfter ?? undefined,
          lastMessageBefore: args.filter?.lastMessageBefore ?? undefined,
          text: args.filter?.text ?? undefined,
        }),
      };
      const page = await readSessionPage(context.prisma, list, args);
      return { ...relayConnection(page), totalCount: () => countSessionList(context.prisma, list) };
    },
  }),
);
