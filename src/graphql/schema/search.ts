import { checkSearchQuery, countSearchHits, readSearchPage, type SearchHit as SearchHitRow, type SearchList } from '../../store/search.js';
import { loadSessionsById } from '../../store/sessions.js';
import { checkId } from '../../models/validation.js';
import { builder } from '../builder.js';
import { timelineLoaders } from '../context.js';
import { relayConnection } from '../relay-connection.js';
import { Message, MessageType, Role } from './message.js';
import { Session } from './session.js';

const SearchHit = builder.objectRef<SearchHitRow>('SearchHit').implement({
  description: 'A timeline item that matches a search.',
  fields: (t) => ({
    item: t.field({ type: Message, resolve: (hit) => hit.item }),
    session: t.loadable({
      type: Session,
      load: (ids, context) => loadSessionsById(context.prisma, context.account.sid, ids as bigint[]),
      resolve: (hit) => hit.item.sessionPk,
    }),
    snippet: t.exposeString('snippet', {
      description:
        'Plain text (never HTML) around the match, the matched words between « and »; a « or » of the text itself is shown as ‹ or ›.',
    }),
    score: t.exposeFloat('score', { description: 'How well the item matches (PostgreSQL\'s ts_rank); hits come best first.' }),
  }),
});

builder.queryField('search', (t) =>
  t.connection(
    {
      type: SearchHit,
      description:
        'Full-text search of your timelines: chat text; the words inside a tool or knowledge call\'s content (not its keys); a source\'s title and text. ' +
        'English word forms match each other ("refund" finds "refunded"); other words match as written, accents kept. ' +
        'The query takes words, "a quoted phrase", -word to leave one out, and `or`; no input is a syntax error. Best match first.',
      args: {
        query: t.arg.string({ required: true, description: 'What to look for, at most 256 characters.' }),
        sessionId: t.arg.id({ description: 'Only this session (its raw id or its name).' }),
        roles: t.arg({ type: [Role] }),
        types: t.arg({ type: [MessageType] }),
        createdAfter: t.arg({ type: 'DateTime' }),
        createdBefore: t.arg({ type: 'DateTime' }),
      },
      resolve: async (_root, args, context) => {
        const session = args.sessionId == null ? undefined : String(args.sessionId);
        checkId(session, 'sessionId');
        const list: SearchList = {
          accountSid: context.account.sid,
          sealingKey: context.sealingKey,
          query: checkSearchQuery(args.query, 'query'),
          session,
          filter: {
            kinds: args.types ?? undefined,
            roles: args.roles ?? undefined,
            createdAfter: args.createdAfter ?? undefined,
            createdBefore: args.createdBefore ?? undefined,
          },
        };
        const { budget, oneAtATime } = timelineLoaders(context);
        const page = await oneAtATime(() => readSearchPage(context.prisma, list, args, budget));
        return { ...relayConnection(page), totalCount: () => countSearchHits(context.prisma, list) };
      },
    },
    { name: 'SearchResultConnection' },
    { name: 'SearchResultEdge' },
  ),
);
