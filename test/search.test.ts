import { beforeAll, describe, expect, it } from 'vitest';
import { graphql as gql } from './documents/index.js';
import { createAccount, type AccountCredentials } from '../src/store/accounts.js';
import { appendMessages, type NewMessage } from '../src/store/append.js';
import { ensureSession } from '../src/store/sessions.js';
import { graphql, useTestGateway } from './support/gateway.js';

const Search = gql(`
  query Search($query: String!, $first: Int, $after: String, $sessionId: ID, $roles: [Role!], $types: [MessageType!], $createdAfter: DateTime, $createdBefore: DateTime) {
    search(query: $query, first: $first, after: $after, sessionId: $sessionId, roles: $roles, types: $types, createdAfter: $createdAfter, createdBefore: $createdBefore) {
      totalCount
      edges {
        cursor
        node {
          score
          snippet
          session { sessionId }
          item { __typename ... on ChatMessage { messageId text } ... on ToolCall { messageId } ... on KnowledgeCall { messageId } ... on Source { key title } }
        }
      }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

const fixture = useTestGateway();
let alice: AccountCredentials;
let bob: AccountCredentials;

let clock = Date.UTC(2025, 2, 1);
function message(messageId: string, text: string, extra: Partial<NewMessage> = {}): NewMessage {
  const createdAt = new Date((clock += 60_000));
  return {
    kind: 'CHAT_MESSAGE',
    origin: 'TWILIO',
    messageId,
    role: 'user',
    identity: null,
    assistantId: null,
    content: { text },
    meta: {},
    text,
    confidence: null,
    toolName: null,
    createdAt,
    updatedAt: createdAt,
    sources: [],
    ...extra,
  };
}

async function conversation(accountSid: string, sessionId: string, messages: NewMessage[]) {
  const { session } = await ensureSession(fixture.db.prisma, accountSid, { sessionId });
  await appendMessages(fixture.db.prisma, session, messages);
}

beforeAll(async () => {
  alice = await createAccount(fixture.db.prisma, 'Alice');
  bob = await createAccount(fixture.db.prisma, 'Bob');
  await conversation(alice.accountSid, 'billing', [
    message('b1', 'Hello, I would like a refund for invoice 1042 please'),
    message('b2', 'Your refund was approved yesterday.', { role: 'assistant', confidence: 0.9 }),
    message('b3', 'Two refunds were refunded last month; the late fee stays.', { role: 'assistant' }),
    message('b4', 'The invoice was paid, 1042 times thank you', { role: 'user' }),
    message('b5', 'Quote «as is» and <b>bold</b> refund', { role: 'user' }),
  ]);
  await conversation(alice.accountSid, 'travel', [
    message('t1', 'Ich fahre nach Zürich am Montag'),
    message('t2', 'Is Zurich far from here?'),
    message('t3', '', {
      kind: 'TOOL_CALL',
      role: 'tool',
      toolName: 'lookup_invoice',
      content: { name: 'lookup_invoice', arguments: { invoiceNumber: 'INV-77', reason: 'duplicate charge' }, output: { status: 'refunded' } },
      text: null,
    }),
    message('t4', '', {
      kind: 'KNOWLEDGE_CALL',
      role: 'knowledge',
      content: { query: 'cancellation policy', results: ['Trips may be cancelled within 24 hours'] },
      text: null,
      sources: [{ key: '1', text: 'Cancelled trips get their money back', url: null, score: 0.8, title: 'Cancellation handbook' }],
    }),
  ]);
  await conversation(bob.accountSid, 'bob-billing', [message('x1', 'Bob wants a refund for invoice 1042 too')]);
});

async function search(variables: Parameters<typeof graphql<unknown, { query: string }>>[3] & Record<string, unknown>, token = alice.authToken) {
  const { data, errors } = await graphql(fixture.gateway, token, Search, variables as { query: string });
  expect(errors).toBeUndefined();
  return data!.search;
}

const ids = (result: Awaited<ReturnType<typeof search>>) =>
  result.edges.map(({ node }) => ('messageId' in node.item ? node.item.messageId : `source:${'title' in node.item ? node.item.title : ''}`));

describe('what a search finds', () => {
  it('matches English word forms: "refund" finds refunds and refunded', async () => {
    const result = await search({ query: 'refund' });
    expect(new Set(ids(result))).toEqual(new Set(['b1', 'b2', 'b3', 'b5', 't3']));
    expect(result.totalCount).toBe(5);
    expect(await search({ query: 'REFUNDED' }).then(ids)).toHaveLength(5);
  });

  it('ranks best first', async () => {
    const { edges } = await search({ query: 'refund' });
    const scores = edges.map(({ node }) => node.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(ids(await search({ query: 'refund' }))[0]).toBe('b3');
  });

  it('matches a quoted phrase as a phrase', async () => {
    expect(ids(await search({ query: '"invoice 1042"' }))).toEqual(['b1']);
    expect(new Set(ids(await search({ query: 'invoice 1042' })))).toEqual(new Set(['b1', 'b4']));
  });

  it('leaves out words after a minus, and takes "or"', async () => {
    expect(new Set(ids(await search({ query: 'refund -late -invoice' })))).toEqual(new Set(['b2', 'b5']));
    expect(new Set(ids(await search({ query: 'refund -late' })))).toEqual(new Set(['b1', 'b2', 'b5', 't3']));
    expect(new Set(ids(await search({ query: 'yesterday or Montag' })))).toEqual(new Set(['b2', 't1']));
  });

  it('matches words of other languages as written, accents kept', async () => {
    expect(ids(await search({ query: 'Zürich' }))).toEqual(['t1']);
    expect(ids(await search({ query: 'zurich' }))).toEqual(['t2']);
    expect(ids(await search({ query: 'fahre' }))).toEqual(['t1']);
  });

  it("searches the words inside tool and knowledge calls' content, not its keys, and sources' titles and text", async () => {
    expect(ids(await search({ query: 'duplicate charge' }))).toEqual(['t3']);
    expect(ids(await search({ query: 'INV-77' }))).toEqual(['t3']);
    expect(ids(await search({ query: 'invoiceNumber' }))).toEqual([]);
    expect(ids(await search({ query: 'arguments' }))).toEqual([]);
    expect(ids(await search({ query: 'cancellation policy' }))).toEqual(['t4']);
    expect(new Set(ids(await search({ query: 'handbook' })))).toEqual(new Set(['source:Cancellation handbook']));
    expect(new Set(ids(await search({ query: 'cancelled' })))).toEqual(new Set(['t4', 'source:Cancellation handbook']));
  });

  it('takes whatever people type without a syntax error', async () => {
    for (const query of ['refund!!!', 'refund & | ! ( :*', '"refund', 'refund"', "refund'); DROP TABLE session; --", '<-> refund <2>', '(((refund', 'refund\\', '-', '-refund', 'a:b:c refund', 'refund OR', 'or refund']) {
      const { data, errors } = await graphql(fixture.gateway, alice.authToken, Search, { query });
      // A query of only operators may be refused as having no word; nothing else.
      if (errors) expect(errors[0]!.extensions?.code, query).toBe('BAD_USER_INPUT');
      else expect(data!.search.edges.length, query).toBeGreaterThanOrEqual(0);
    }
    expect(ids(await search({ query: 'refund!!!' }))).toHaveLength(5);
  });

  it('gives plain-text snippets with the matched words between « and »', async () => {
    const { edges } = await search({ query: 'refunded' });
    const snippetOf = (id: string) => edges.find(({ node }) => 'messageId' in node.item && node.item.messageId === id)!.node.snippet;
    expect(snippetOf('b3')).toBe('Two «refunds» were «refunded» last month; the late fee stays.');
    // The text's own « » are shown as ‹ ›, so every « » is a mark; HTML tags are left out (PostgreSQL's parser reads them as tags).
    expect(snippetOf('b5')).toBe('Quote ‹as is› and  bold  «refund»');
    expect(snippetOf('t3')).toContain('«refunded»');
  });
});

describe('narrowing a search', () => {
  it('by session, by role, by type and by date', async () => {
    expect(new Set(ids(await search({ query: 'refund', sessionId: 'billing' })))).toEqual(new Set(['b1', 'b2', 'b3', 'b5']));
    expect(ids(await search({ query: 'refund', sessionId: 'no-such-session' }))).toEqual([]);
    expect(new Set(ids(await search({ query: 'refund', roles: ['ASSISTANT'] })))).toEqual(new Set(['b2', 'b3']));
    expect(ids(await search({ query: 'refund', types: ['TOOL_CALL'] }))).toEqual(['t3']);
    expect(ids(await search({ query: 'cancelled', types: ['SOURCE'] }))).toEqual(['source:Cancellation handbook']);
    const all = await search({ query: 'refund' });
    const times = await fixture.db.prisma.timelineItem.findMany({ where: { messageId: { in: ['b2', 'b3'] } }, orderBy: { id: 'asc' } });
    const between = await search({ query: 'refund', createdAfter: new Date(times[0]!.createdAt.getTime() - 1).toISOString(), createdBefore: new Date(times[1]!.createdAt.getTime() + 1).toISOString() });
    expect(new Set(ids(between))).toEqual(new Set(['b2', 'b3']));
    expect(all.totalCount).toBe(5);
  });

  it("finds nothing of another account's, and another account finds nothing of this one's", async () => {
    const alices = await search({ query: 'Bob' });
    expect(alices.edges).toEqual([]);
    const bobs = await search({ query: 'refund invoice' }, bob.authToken);
    expect(ids(bobs)).toEqual(['x1']);
    expect(bobs.edges[0]!.node.session.sessionId).toBe('bob-billing');
    expect(bobs.totalCount).toBe(1);
  });
});

describe('paging a search', () => {
  it.each([1, 2, 3, 7])('at page size %i gives every hit once, in the order of one big page', async (size) => {
    const whole = ids(await search({ query: 'refund or cancelled or zürich or invoice', first: 100 }));
    expect(whole.length).toBeGreaterThan(7);
    const paged: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: Awaited<ReturnType<typeof search>> = await search({ query: 'refund or cancelled or zürich or invoice', first: size, after });
      paged.push(...ids(page));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(paged).toEqual(whole);
  });

  it("refuses a cursor of another query, or another account's", async () => {
    const { pageInfo } = await search({ query: 'refund', first: 1 });
    for (const [query, token] of [['refunds', alice.authToken], ['refund', bob.authToken]] as const) {
      const { errors } = await graphql(fixture.gateway, token, Search, { query, first: 1, after: pageInfo.endCursor });
      expect(errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(errors?.[0]?.message).toMatch(/not a cursor this API handed out for this list/);
    }
    const { errors } = await graphql(fixture.gateway, alice.authToken, Search, { query: 'refund', after: 'bm90IGEgY3Vyc29y' });
    expect(errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('queries refused', () => {
  it.each([
    ['empty', ''],
    ['blank', '   '],
    ['1,000 characters', 'refund '.repeat(143).slice(0, 1000)],
    ['only stop words', 'the of and'],
    ['only punctuation', '!!! ???'],
    ['a NUL character', 'refund\u0000'],
    // These match nearly every item, which no index can find: a scan of the account's whole timeline.
    ['only words left out', '-refund -fee'],
    ['a word or one left out', 'refund or -fee'],
  ])('%s: BAD_USER_INPUT saying why', async (_case, query) => {
    const { data, errors } = await graphql(fixture.gateway, alice.authToken, Search, { query });
    expect(data).toBeNull();
    expect(errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(errors?.[0]?.message).toMatch(/^query: /);
  });

  it('a filtered session list refuses a text of only words left out too, and takes one with a word to find', async () => {
    const refused = await graphql(fixture.gateway, alice.authToken, '{ sessions(filter: { text: "-refund" }) { totalCount edges { cursor } } }');
    expect(refused.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(refused.errors?.[0]?.message).toMatch(/^filter\.text: .*no word to find/);
    const taken = await graphql(fixture.gateway, alice.authToken, '{ sessions(filter: { text: "refund -fee" }) { totalCount } }');
    expect(taken.errors).toBeUndefined();
  });
});

it('indexes a message of a whole MiB of distinct words, and finds a word of it', async () => {
  let text = '';
  for (let n = 0; text.length < 1_000_000; n++) text += `w${n.toString(36)} `;
  const { session } = await ensureSession(fixture.db.prisma, alice.accountSid, { sessionId: 'huge' });
  await appendMessages(fixture.db.prisma, session, [message('huge', `needle ${text}`)]);
  expect(ids(await search({ query: 'needle' }))).toEqual(['huge']);
}, 120_000);

it('a search and a filtered session list cost what any connection costs: their page size times what they select', async () => {
  for (const query of [
    '{ search(query: "refund", first: 1000) { edges { node { session { messages(first: 1000) { edges { node { position } } } } } } } }',
    '{ sessions(first: 1000, filter: { text: "refund" }, orderBy: LAST_MESSAGE_AT_DESC) { edges { node { messages(first: 1000) { edges { node { position } } } } } } }',
  ]) {
    const { data, errors } = await graphql(fixture.gateway, alice.authToken, query);
    expect(data ?? null).toBeNull();
    expect(errors?.[0]?.extensions?.code).toBe('LIMIT_EXCEEDED');
    expect(errors?.[0]?.message).toMatch(/estimated cost is \d{7}/);
  }
});

it("the README's example of finding conversations runs as written", async () => {
  const readme = await import('node:fs/promises').then(({ readFile }) => readFile(new URL('../README.md', import.meta.url), 'utf8'));
  const example = /### Finding conversations[\s\S]*?```graphql\n([\s\S]*?)```/.exec(readme)![1]!;
  const { data, errors } = await graphql<{ sessions: { totalCount: number }; search: { edges: unknown[] } }, Record<string, never>>(fixture.gateway, alice.authToken, example, {});
  expect(errors).toBeUndefined();
  expect(data!.sessions.totalCount).toBe(0);
  expect(data!.search.edges.length).toBeGreaterThan(0);
});
