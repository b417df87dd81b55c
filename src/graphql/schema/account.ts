import { builder } from '../builder.js';

export const Account = builder.prismaObject('Account', {
  description: 'The account you are signed in as.',
  fields: (t) => ({
    sid: t.exposeString('sid', { description: '"AC" followed by 32 hex digits.' }),
    name: t.exposeString('name'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

builder.queryField('account', (t) =>
  t.field({ type: Account, description: 'The account of your credentials.', resolve: (_root, _args, context) => context.account }),
);
