import { builder } from '../builder.js';

export const Assistant = builder.prismaObject('Assistant', {
  fields: (t) => ({
    assistantId: t.exposeString('assistantId', { description: '"aia_asst_…"' }),
  }),
});
