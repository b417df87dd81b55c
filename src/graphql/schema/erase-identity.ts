import { credentialOf, eraseIdentity, type Erased } from '../../store/erasure.js';
import { builder } from '../builder.js';
import { invalidArgument } from '../errors.js';

const EraseIdentityPayload = builder.objectRef<Erased>('EraseIdentityPayload').implement({
  description: 'What eraseIdentity removed: counts only.',
  fields: (t) => ({
    sessionsDeleted: t.exposeInt('sessions', { description: 'Sessions whose identity it was, deleted whole.' }),
    messagesDeleted: t.exposeInt('messages', {
      description: 'Timeline items other than sources (chat messages, tool calls, knowledge calls): those of the deleted sessions, and those carrying the identity in your other sessions.',
    }),
    sourcesDeleted: t.exposeInt('sources'),
  }),
});

builder.mutationField('eraseIdentity', (t) =>
  t.field({
    type: EraseIdentityPayload,
    description:
      "Erases a person from your account, in one transaction: every session whose identity it is, and every item carrying it in your other sessions (with the item's sources); those sessions' summaries are counted again. An identity found nowhere erases nothing, and answers zeros.",
    args: {
      identity: t.arg.string({ required: true, description: 'The identity, exactly as stored, e.g. "user:alice@example.com".' }),
    },
    resolve: (_root, args, context) => {
      if (!args.identity.trim()) throw invalidArgument('identity: must not be empty');
      return eraseIdentity(context.prisma, context.account.sid, args.identity, { credential: credentialOf(context.account), events: context.events });
    },
  }),
);
