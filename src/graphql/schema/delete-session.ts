import { GatewayError } from '../../errors.js';
import { credentialOf, deleteSessions } from '../../store/erasure.js';
import { findSession } from '../../store/sessions.js';
import { builder } from '../builder.js';
import { encodeGlobalId } from '../global-id.js';

interface DeleteSessionResult {
  sessionPk: bigint;
  sessionId: string;
  messagesDeleted: number;
  sourcesDeleted: number;
}

const DeleteSessionPayload = builder.objectRef<DeleteSessionResult>('DeleteSessionPayload').implement({
  description: 'What deleteSession removed. The session is gone from every API, as if it had never existed.',
  fields: (t) => ({
    deletedSessionId: t.id({
      description: "The deleted session's global id (its `id`), for clients to drop it from their caches.",
      resolve: (payload, _args, context) => encodeGlobalId('Session', payload.sessionPk, context),
    }),
    sessionId: t.exposeString('sessionId', { description: 'The raw id the session had, e.g. "voice:CA…".' }),
    messagesDeleted: t.exposeInt('messagesDeleted', { description: 'Timeline items other than sources: chat messages, tool calls, knowledge calls.' }),
    sourcesDeleted: t.exposeInt('sourcesDeleted'),
  }),
});

builder.mutationField('deleteSession', (t) =>
  t.field({
    type: DeleteSessionPayload,
    description:
      'Deletes a session with every item of it, for good: every API then answers as for a session that never existed, its cursors and PageTokens are refused, and its open `messageAdded` streams end. NOT_FOUND when you have no such session.',
    args: {
      sessionId: t.arg.id({ required: true, description: 'The session id or name.' }),
    },
    resolve: async (_root, args, context) => {
      const notFound = () => new GatewayError('not_found', `You have no session "${args.sessionId}"`);
      const session = await findSession(context.prisma, context.account.sid, String(args.sessionId));
      if (!session) throw notFound();
      const erased = await deleteSessions(context.prisma, context.account.sid, [session.id], { credential: credentialOf(context.account), events: context.events });
      // Deleted by another request between the lookup and the deletion: this one removed nothing.
      if (!erased.sessions) throw notFound();
      return { sessionPk: session.id, sessionId: session.sessionId, messagesDeleted: erased.messages, sourcesDeleted: erased.sources };
    },
  }),
);
