import { MAX_TIMELINE_POSITION, timelineCursor } from '../../store/cursors.js';
import type { GraphQLResolveInfo } from 'graphql';
import { keysetWindow, type PageRequest } from '../../store/pages.js';
import type { SealingKey } from '../../store/sealing.js';
import { ensureSession, findSession, loadAssistantsById, loadSessionsById, type Session as SessionRow } from '../../store/sessions.js';
import { readSessionWithPage, timelinePageWindow, type TimelineRead } from '../../store/timeline-pages.js';
import type { ItemKind, TimelineFilter } from '../../store/timeline.js';
import { builder } from '../builder.js';
import { timelineLoaders, type GatewayContext } from '../context.js';
import { invalidArgument } from '../errors.js';
import { argumentsAhead } from '../page-look-ahead.js';
import { relayConnection } from '../relay-connection.js';
import { timelineReadOf } from '../timeline-columns.js';
import { Assistant } from './assistant.js';
import { Message, MessageType, Role } from './message.js';

export const Session = builder.prismaNode('Session', {
  description: 'A conversation: its timeline of messages, tool calls, knowledge calls and sources.',
  id: { field: 'id' },
  findUnique: (id, context) => ({ id: BigInt(id), accountSid: context.account.sid }),
  nullable: true,
  fields: (t) => ({
    sessionId: t.exposeString('sessionId', { description: 'The raw session id, e.g. "voice:CA…".' }),
    name: t.exposeString('name', { nullable: true }),
    accountSid: t.exposeString('accountSid'),
    assistant: t.loadable({
      type: Assistant,
      nullable: true,
      load: (ids, context) => loadAssistantsById(context.prisma, context.account.sid, ids as bigint[]),
      resolve: (session) => session.assistantPk,
    }),
    identity: t.exposeString('identity', { nullable: true }),
    verified: t.exposeBoolean('verified'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    messages: t.connection({
      type: Message,
      description:
        'The timeline in order. Pages hold 50 items unless `first` or `last` says otherwise, and at most 1000. All the pages, sources and nodes of one request together hold at most the gateway\'s read budget of bytes (MAX_READ_BYTES, 8 MiB by default, counting the fields asked for): a request that would hold more is refused with LIMIT_EXCEEDED, naming both figures.',
      args: {
        types: t.arg({ type: [MessageType], required: false, description: 'Only items of these kinds.' }),
        roles: t.arg({ type: [Role], required: false, description: 'Only items with these roles (sources have none).' }),
        createdAfter: t.arg({ type: 'DateTime', required: false }),
        createdBefore: t.arg({ type: 'DateTime', required: false }),
        afterPosition: t.arg.int({
          required: false,
          description: 'Start right after the item at this position, as `after` with its cursor would: a link to position N opens the timeline with `afterPosition: N - 1`.',
        }),
      },
      resolve: async (session, args, context, info) => {
        const read = timelineReadOfMessages(args, info);
        const loaders = timelineLoaders(context);
        // A page read with the session (sessionWithPage) is waiting in the loader under this window.
        const page = await loaders.pages.load(timelinePageWindow(context.sealingKey, session.id, positionedArgs(context.sealingKey, session.id, args), read));
        return { ...relayConnection(page), totalCount: () => loaders.counts.load({ sessionPk: session.id, filter: read.filter }) };
      },
    }),
  }),
});

/** The arguments of `messages`, as GraphQL gives them to its resolver. */
interface MessagesArgs extends PageRequest {
  types?: readonly ItemKind[] | null;
  roles?: readonly string[] | null;
  createdAfter?: Date | null;
  createdBefore?: Date | null;
  afterPosition?: number | null;
}

/** What a `messages` page reads: the items its arguments filter, the columns and sources the document shows. */
function timelineReadOfMessages(args: MessagesArgs, info: GraphQLResolveInfo): TimelineRead {
  const filter: TimelineFilter = {
    kinds: args.types ?? undefined,
    roles: args.roles ?? undefined,
    createdAfter: args.createdAfter ?? undefined,
    createdBefore: args.createdBefore ?? undefined,
  };
  const { columns, sources } = timelineReadOf(info);
  return { filter, columns, sources };
}

/**
 * The session by id or name and, when its selection asks for one page of `messages`, that page
 * too, read in the same statement and handed to the `messages` resolver through the page loader:
 * one round trip where there would be two. Arguments that field refuses, or a position in place
 * of a cursor, leave it to read (and refuse) on its own.
 */
async function sessionWithPage(context: GatewayContext, idOrName: string, info: GraphQLResolveInfo): Promise<SessionRow | null> {
  const args = argumentsAhead(info, 'messages') as MessagesArgs | undefined;
  if (!args || args.afterPosition != null || !servablePage(args)) return findSession(context.prisma, context.account.sid, idOrName);
  const loaders = timelineLoaders(context);
  return loaders.oneAtATime(async () => {
    const heldBefore = loaders.budget.held;
    const query = { accountSid: context.account.sid, session: idOrName, page: args, ...timelineReadOfMessages(args, info) };
    const found = await readSessionWithPage(context.prisma, context.sealingKey, query, loaders.budget);
    if (found && 'page' in found) loaders.primePage(found.window, found.page, heldBefore);
    return found?.session ?? null;
  });
}

/** Whether the store serves this page request; one it refuses is left to the `messages` resolver to refuse, with its own error path. */
function servablePage(page: PageRequest): boolean {
  try {
    keysetWindow(page);
    return true;
  } catch {
    return false;
  }
}

/** `afterPosition` as the cursor it stands for: a link names an item by position, which no cursor a client holds does. */
function positionedArgs(key: SealingKey, sessionPk: bigint, args: PageRequest & { afterPosition?: number | null }): PageRequest {
  if (args.afterPosition == null) return args;
  if (args.after != null || args.before != null) throw invalidArgument('Pass "afterPosition" or a cursor ("after", "before"), not both');
  if (args.afterPosition < 0 || args.afterPosition > MAX_TIMELINE_POSITION) throw invalidArgument(`"afterPosition" must be between 0 and ${MAX_TIMELINE_POSITION}, got ${args.afterPosition}`);
  return { ...args, after: timelineCursor(key, sessionPk, args.afterPosition) };
}

builder.prismaInterfaceField(Message, 'session', (t) =>
  t.loadable({
    type: Session,
    load: (ids, context) => loadSessionsById(context.prisma, context.account.sid, ids as bigint[]),
    resolve: (item) => item.sessionPk,
  }),
);

builder.queryFields((t) => ({
  session: t.field({
    type: Session,
    nullable: true,
    description: "One of your sessions, by its id or its name; null when your account has no such session.",
    args: { id: t.arg.id({ required: true, description: 'The raw session id ("voice:CA…") or the session name.' }) },
    resolve: (_root, args, context, info) => sessionWithPage(context, String(args.id), info),
  }),
}));

const CreateSessionPayload = builder.objectRef<{ session: SessionRow; created: boolean }>('CreateSessionPayload').implement({
  fields: (t) => ({
    session: t.field({ type: Session, resolve: (payload) => payload.session }),
    created: t.exposeBoolean('created', { description: 'False when you already had a session with this id; it is returned as it was.' }),
  }),
});

builder.mutationField('createSession', (t) =>
  t.field({
    type: CreateSessionPayload,
    description: 'Creates a session, or returns the one you already have with this id.',
    args: {
      sessionId: t.arg.string({ required: true, description: 'Its id, e.g. "voice:CA…" or "session_xyz".' }),
      name: t.arg.string({ description: 'A name unique among your sessions; lookups accept it in place of the id.' }),
      assistantId: t.arg.string({ description: '"aia_asst_…"' }),
      identity: t.arg.string(),
      verified: t.arg.boolean(),
    },
    resolve: (_root, args, context) => {
      if (!args.sessionId.trim()) throw invalidArgument('sessionId: must not be empty');
      return ensureSession(context.prisma, context.account.sid, {
        sessionId: args.sessionId,
        name: args.name,
        assistantId: args.assistantId,
        identity: args.identity,
        verified: args.verified ?? undefined,
      });
    },
  }),
);
