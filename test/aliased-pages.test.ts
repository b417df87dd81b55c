import { beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '../src/store/accounts.js';
import { graphql, testSettings, useTestGateway } from './support/gateway.js';
import { createTimeline } from './support/timeline.js';

// Several pages of one session in one query, under aliases: each must be exactly the page it is
// alone, however the windows overlap, and the query must cost what one window of each shape does.

// Credentials are read again once they are CREDENTIAL_CHECK_MS old: such a read inside a measured
// request would count as one of its statements.
const fixture = useTestGateway({ settings: testSettings({ CREDENTIAL_CHECK_MS: '600000' }) });
let token: string;
let cursorAt: (position: number) => string;

const page = `edges { cursor node { __typename position ... on ChatMessage { sources { key text } } ... on KnowledgeCall { sources { key } } } }
  pageInfo { hasNextPage hasPreviousPage startCursor endCursor }`;

function query(pages: Record<string, string>): string {
  const fields = Object.entries(pages).map(([alias, args]) => `${alias}: messages(${args}) { ${page} }`);
  return `{ session(id: "aliased") { ${fields.join('\n')} } }`;
}

async function run(pages: Record<string, string>) {
  fixture.db.statements.length = 0;
  const { data, errors } = await graphql<{ session: Record<string, unknown> }, never>(fixture.gateway, token, query(pages));
  expect(errors).toBeUndefined();
  return { pages: data!.session, statements: fixture.db.statements.length };
}

beforeAll(async () => {
  const account = await createAccount(fixture.db.prisma);
  token = account.authToken;
  await createTimeline(fixture.db.prisma, account.accountSid, 'aliased', 40);
  const { pages } = await run({ all: 'first: 40' });
  const edges = (pages.all as { edges: { cursor: string }[] }).edges;
  cursorAt = (position) => edges[position - 1]!.cursor;
});

describe('aliased pages of one session in one query', () => {
  it('each equal what they return alone: forwards, backwards, overlapping, of different sizes and filters', async () => {
    const pages = {
      first: 'first: 2',
      second: `first: 2, after: "${cursorAt(2)}"`,
      overlapping: `first: 5, after: "${cursorAt(1)}"`,
      backwards: `last: 3, before: "${cursorAt(20)}"`,
      lastOnes: 'last: 4',
      chats: 'first: 4, types: [CHAT_MESSAGE]',
      answersLater: `first: 3, after: "${cursorAt(10)}", roles: [ASSISTANT]`,
      sourcesOnly: `last: 2, before: "${cursorAt(30)}", types: [SOURCE]`,
    };
    const together = await run(pages);
    for (const [alias, args] of Object.entries(pages)) {
      const alone = await run({ [alias]: args });
      expect(together.pages[alias], alias).toEqual(alone.pages[alias]);
    }
    expect((together.pages.second as { edges: { node: { position: number } }[] }).edges.map((edge) => edge.node.position)).toEqual([3, 4]);
  });

  it('many windows of one shape cost the statements one does', async () => {
    // A lone page comes with its session in one statement; pages under aliases are read after the session, all in one statement.
    const two = await run({ a: 'first: 3', b: `first: 3, after: "${cursorAt(1)}"` });
    const many = await run(Object.fromEntries(Array.from({ length: 10 }, (_, n) => [`p${n}`, `first: 3, after: "${cursorAt(n * 3 + 1)}"`])));
    expect(many.statements).toBe(two.statements);
    expect(many.statements).toBe(2);
    const positions = Object.values(many.pages).map((p) => (p as { edges: { node: { position: number } }[] }).edges.map((edge) => edge.node.position));
    expect(positions).toEqual(Array.from({ length: 10 }, (_, n) => [n * 3 + 2, n * 3 + 3, n * 3 + 4]));
  });
});
