import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Prisma } from '../src/store/generated/prisma/client.js';
import { createAccount, type AccountCredentials } from '../src/store/accounts.js';
import { appendMessages, type NewMessage } from '../src/store/append.js';
import { ensureSession, type Session } from '../src/store/sessions.js';
import { ReadBudget } from '../src/store/read-budget.js';
import { loadTimelineWindows } from '../src/store/timeline.js';
import { readChatMessagesPage } from '../src/store/chat-message-pages.js';
import { openTestDatabase, type TestDatabase } from './support/database.js';
import { planNodes } from './support/plans.js';
import { startGateway, testSettings, type RunningGateway } from './support/gateway.js';
import { basicAuth } from './support/http.js';
import { twilioClient } from './support/twilio-client.js';

// The read budget at a small size: 20 messages of 10 KB against MAX_READ_BYTES of 50,000, so a
// page holds four of them.

const MAX_READ_BYTES = 50_000;
const TEXT_BYTES = 10_000;
let db: TestDatabase;
let gateway: RunningGateway;
let account: AccountCredentials;
let session: Session;

function message(n: number): NewMessage {
  const createdAt = new Date(Date.UTC(2025, 0, 1) + n * 1000);
  return {
    kind: 'CHAT_MESSAGE', origin: 'ANALYTICS', messageId: `m${n}`, role: 'user', identity: null, assistantId: null, content: null, meta: null,
    text: String(n % 10).repeat(TEXT_BYTES), confidence: null, toolName: null, createdAt, updatedAt: createdAt, sources: [],
  };
}

beforeAll(async () => {
  db = await openTestDatabase();
  account = await createAccount(db.prisma);
  ({ session } = await ensureSession(db.prisma, account.accountSid, { sessionId: 'budget' }));
  await appendMessages(db.prisma, session, Array.from({ length: 20 }, (_, n) => message(n + 1)));
  gateway = await startGateway(db.prisma, { settings: testSettings({ MAX_READ_BYTES: String(MAX_READ_BYTES) }) });
});

afterAll(async () => {
  await gateway?.close();
  await db?.close();
});

const window = { limit: 20, filter: {}, columns: ['text'] as const };

it('a page stops at the budget, keeps the items nearest its cursor either way, and says it was cut', async () => {
  const budget = new ReadBudget(MAX_READ_BYTES);
  const [forward, backward] = await loadTimelineWindows(db.prisma, [
    { ...window, sessionPk: session.id, newestFirst: false },
    { ...window, sessionPk: session.id, newestFirst: true },
  ], budget);
  expect(forward!.items.map((item) => item.seq)).toEqual([1, 2, 3, 4]);
  expect(forward!.complete).toBe(false);
  expect(forward!.bytes).toBeGreaterThan(20 * TEXT_BYTES);
  // The windows of one read share its budget: the first took all of it.
  expect(backward!.items.map((item) => item.seq)).toEqual([]);
  expect(backward!.complete).toBe(false);
  expect(budget.held).toBeLessThanOrEqual(MAX_READ_BYTES);

  const [newest] = await loadTimelineWindows(db.prisma, [{ ...window, sessionPk: session.id, newestFirst: true }], new ReadBudget(MAX_READ_BYTES));
  expect(newest!.items.map((item) => item.seq)).toEqual([20, 19, 18, 17]);
  // Without the text, the whole session fits.
  const [positions] = await loadTimelineWindows(db.prisma, [{ ...window, columns: [], sessionPk: session.id, newestFirst: false }], new ReadBudget(MAX_READ_BYTES));
  expect(positions!.items).toHaveLength(20);
  expect(positions!.complete).toBe(true);
  // A column a page does not read is not on its rows.
  expect(positions!.items[0]!).not.toHaveProperty('text');
});

async function graphqlPost(query: string) {
  const response = await fetch(`${gateway.url}/graphql`, {
    method: 'POST',
    headers: { authorization: `Bearer ${account.authToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
  return (await response.json()) as { data?: Record<string, unknown> | null; errors?: { message: string; extensions: { code: string } }[] };
}

it('GraphQL refuses what would go past the budget, naming both figures, across aliases and nodes alike', async () => {
  const text = await graphqlPost('{ session(id: "budget") { messages(first: 20) { edges { node { ... on ChatMessage { text } } } } } }');
  expect(text.errors).toEqual([expect.objectContaining({ extensions: { code: 'LIMIT_EXCEEDED' } })]);
  expect(text.errors![0]!.message).toMatch(/^This request would hold \d{6} bytes of messages, over the limit of 50000 \(MAX_READ_BYTES\)/);

  // Three pages that each fit do not fit together.
  const aliases = await graphqlPost(`{ session(id: "budget") { ${[1, 2, 3].map((n) => `a${n}: messages(first: ${n + 1}) { edges { node { ... on ChatMessage { text } } } }`).join(' ')} } }`);
  expect(aliases.errors?.map((error) => error.extensions.code)).toContain('LIMIT_EXCEEDED');

  const ids = (await graphqlPost('{ session(id: "budget") { messages(first: 20) { edges { node { id position } } } } }')).data as {
    session: { messages: { edges: { node: { id: string; position: number } }[] } };
  };
  expect(ids.session.messages.edges.map(({ node }) => node.position)).toEqual(Array.from({ length: 20 }, (_, n) => n + 1));
  const everyId = ids.session.messages.edges.map(({ node }) => JSON.stringify(node.id));
  const nodes = await graphqlPost(`{ nodes(ids: [${everyId.join(', ')}]) { ... on ChatMessage { text } } }`);
  expect(nodes.errors).toEqual([expect.objectContaining({ extensions: { code: 'LIMIT_EXCEEDED' } })]);
  const node = await graphqlPost(`{ ${everyId.slice(0, 6).map((id, n) => `n${n}: node(id: ${id}) { ... on ChatMessage { text } }`).join(' ')} }`);
  expect(node.errors?.map((error) => error.extensions.code)).toContain('LIMIT_EXCEEDED');
  const fits = await graphqlPost(`{ nodes(ids: [${everyId.slice(0, 3).join(', ')}]) { ... on ChatMessage { text } } }`);
  expect(fits.errors).toBeUndefined();
});

it('Twilio pages shrink to fit, and next and previous page URLs walk the whole session both ways', async () => {
  const client = twilioClient(gateway.url, account.accountSid, account.authToken);
  const listed = await client.assistants.v1.sessions('budget').messages.list({ pageSize: 1000 });
  expect(listed.map((m) => m.id)).toEqual(Array.from({ length: 20 }, (_, n) => `aia_msg_m${n + 1}`));

  const get = async (url: string) =>
    (await (await fetch(url, { headers: { authorization: basicAuth(account.accountSid, account.authToken) } })).json()) as {
      messages: { id: string }[];
      meta: { next_page_url: string | null; previous_page_url: string | null };
    };
  const pages = [await get(`${gateway.url}/v1/Sessions/budget/Messages?PageSize=1000`)];
  while (pages.at(-1)!.meta.next_page_url) pages.push(await get(pages.at(-1)!.meta.next_page_url!));
  expect(pages.map((page) => page.messages.length)).toEqual([4, 4, 4, 4, 4]);
  const back = [pages.at(-1)!];
  while (back.at(-1)!.meta.previous_page_url && back.length < pages.length) back.push(await get(back.at(-1)!.meta.previous_page_url!));
  expect(back.flatMap((page) => page.messages.map((m) => m.id)).sort()).toEqual(listed.map((m) => m.id).sort());
});

it('the analytics array streams the whole session in pages of the budget', async () => {
  const response = await fetch(`${gateway.url}/api/v1/conversations/budget/messages`, { headers: { authorization: `Bearer ${account.authToken}` } });
  const messages = (await response.json()) as { id: string; content: string }[];
  expect(messages.map((m) => m.id)).toEqual(Array.from({ length: 20 }, (_, n) => `m${n + 1}`));
  expect(messages.every((m) => m.content.length === TEXT_BYTES)).toBe(true);
});

it('the analytics array reads one statement a page, the session looked up by the first, each page holding what fits in the budget', async () => {
  const headers = { authorization: `Bearer ${account.authToken}` };
  const read = async (sessionId: string) => {
    await fetch(`${gateway.url}/api/v1/conversations/${sessionId}/messages`, { headers }).then((response) => response.text());
    db.statements.length = 0;
    const messages = (await (await fetch(`${gateway.url}/api/v1/conversations/${sessionId}/messages`, { headers })).json()) as {
      id: string;
      metadata?: { sources: Record<string, { text: string }> };
    }[];
    return { messages, statements: db.statements.length };
  };
  // 20 messages of 10 KB: pages of four.
  const plain = await read('budget');
  expect(plain.messages.map((m) => m.id)).toEqual(Array.from({ length: 20 }, (_, n) => `m${n + 1}`));
  expect(plain.statements).toBe(5);
  // Messages of a few bytes citing two sources of 10 KB each: their sources count, so pages of two.
  const { session: citing } = await ensureSession(db.prisma, account.accountSid, { sessionId: 'budget-sources' });
  await appendMessages(db.prisma, citing, Array.from({ length: 6 }, (_, n) => ({
    ...message(n + 1),
    messageId: `c${n + 1}`,
    text: 'see the sources',
    sources: [1, 2].map((k) => ({ key: String(k), text: String(k).repeat(TEXT_BYTES), url: null, score: 0.5, title: null })),
  })));
  const cited = await read('budget-sources');
  expect(cited.messages.map((m) => m.id)).toEqual(['c1', 'c2', 'c3', 'c4', 'c5', 'c6']);
  expect(cited.messages.every((m) => m.metadata!.sources['2']!.text === '2'.repeat(TEXT_BYTES))).toBe(true);
  expect(cited.statements).toBe(3);
});

it('the analytics array charges a message for the id and role it prints, as the timeline reader charges them', async () => {
  // 70 messages of 1,000 characters with ids of MAX_ID_LENGTH (256): each takes 300 + 256 + 4
  // ("user") + 1,000 = 1,560 bytes as the read budget sizes a row, so a page of the budget holds 32.
  const { session: long } = await ensureSession(db.prisma, account.accountSid, { sessionId: 'budget-long-ids' });
  const id = (n: number) => `${n}:`.padEnd(256, 'i');
  await appendMessages(db.prisma, long, Array.from({ length: 70 }, (_, n) => ({ ...message(n + 1), messageId: id(n + 1), text: 'x'.repeat(1000) })));
  const headers = { authorization: `Bearer ${account.authToken}` };
  await fetch(`${gateway.url}/api/v1/conversations/budget-long-ids/messages`, { headers }).then((response) => response.text());
  db.statements.length = 0;
  const messages = (await (await fetch(`${gateway.url}/api/v1/conversations/budget-long-ids/messages`, { headers })).json()) as { id: string }[];
  expect(messages.map((m) => m.id)).toEqual(Array.from({ length: 70 }, (_, n) => id(n + 1)));
  // Pages of 32, 32 and 6: sized without the ids, pages of 38 would go past the budget.
  expect(db.statements).toHaveLength(3);

  // What the timeline reader holds for these 32 messages, read with the columns the analytics view prints.
  const columns = ['messageId', 'role', 'text', 'meta', 'confidence', 'createdAt', 'origin'] as const;
  const [timeline] = await loadTimelineWindows(db.prisma, [{ sessionPk: long.id, limit: 32, newestFirst: false, filter: {}, columns }], new ReadBudget(MAX_READ_BYTES));
  const analytics = new ReadBudget(MAX_READ_BYTES);
  const page = await readChatMessagesPage(db.prisma, { accountSid: account.accountSid, session: 'budget-long-ids', afterSeq: 0, limit: 32 }, analytics, () => {});
  expect(page!.nextAfterSeq).toBe(32);
  expect(analytics.held).toBe(timeline!.bytes);
});

it('a search page is held within the budget too: hits of large items are refused in shape, a page that fits is answered', async () => {
  const words = (n: number) => `zebra ${n} ${'lorem ipsum '.repeat(Math.ceil(TEXT_BYTES / 12))}`;
  const { session: searched } = await ensureSession(db.prisma, account.accountSid, { sessionId: 'budget-search' });
  await appendMessages(db.prisma, searched, Array.from({ length: 20 }, (_, n) => ({ ...message(n + 1), messageId: `s${n + 1}`, text: words(n + 1) })));
  const big = await graphqlPost('{ search(query: "zebra", first: 20) { edges { node { snippet } } } }');
  expect(big.errors).toEqual([expect.objectContaining({ extensions: { code: 'LIMIT_EXCEEDED' } })]);
  expect(big.errors![0]!.message).toMatch(/^This request would hold \d{6} bytes of messages, over the limit of 50000 \(MAX_READ_BYTES\)/);
  // Aliases share one budget: two pages that each fit do not fit together.
  const aliases = await graphqlPost('{ a: search(query: "zebra", first: 3) { edges { node { score } } } b: search(query: "zebra", first: 3) { edges { node { score } } } }');
  expect(aliases.errors?.map((error) => error.extensions.code)).toContain('LIMIT_EXCEEDED');
  const fits = await graphqlPost('{ search(query: "zebra", first: 3) { edges { node { snippet item { ... on ChatMessage { text } } } } } }');
  expect(fits.errors).toBeUndefined();
  expect((fits.data as { search: { edges: unknown[] } }).search.edges).toHaveLength(3);
});

it('appended items shown by two appends of one request share its budget, and the refusal names what all would hold', async () => {
  await ensureSession(db.prisma, account.accountSid, { sessionId: 'budget-append' });
  const messages = (prefix: string) => `[${[1, 2, 3].map((n) => `{ messageId: "${prefix}${n}", role: USER, text: "${'x'.repeat(TEXT_BYTES)}" }`).join(', ')}]`;
  const both = await graphqlPost(`mutation {
    a: appendMessages(sessionId: "budget-append", messages: ${messages('a')}) { items { ... on ChatMessage { text } } }
    b: appendMessages(sessionId: "budget-append", messages: ${messages('b')}) { items { ... on ChatMessage { text } } }
  }`);
  expect(both.errors).toEqual([expect.objectContaining({ extensions: { code: 'LIMIT_EXCEEDED' }, path: ['b', 'items'] })]);
  const figure = Number(/would hold (\d+) bytes/.exec(both.errors![0]!.message)![1]);
  expect(figure).toBeGreaterThan(MAX_READ_BYTES);
});

// A page cut short by the budget: PostgreSQL sizes every message it reads with its sources (by the
// size its row keeps of them), but reads the sources themselves, for the page's JSON, only for the
// messages kept that cite any. Built for every message read, a page of large sources cut after a
// few messages would have it copy all of them for nothing: a tenant's `first: 1000` would cost the
// database far more than the answer; and a look-up for each message citing none costs about what
// the rest of the page does.
it('reads the sources of the kept messages that cite any, and looks none up to size them', async () => {
  const { session: cited } = await ensureSession(db.prisma, account.accountSid, { sessionId: 'budget-cited' });
  const sources = (n: number) => [1, 2].map((k) => ({ key: String(k), text: `source ${k} of ${n} `.repeat(100), url: null, score: null, title: null }));
  // Every other message cites two sources, from the first.
  await appendMessages(db.prisma, cited, Array.from({ length: 20 }, (_, n) => ({ ...message(n + 1), sources: n % 2 ? [] : sources(n + 1) })));
  const statements: Prisma.Sql[] = [];
  const observed = Object.create(db.prisma, {
    $readRows: { value: (query: Prisma.Sql, onRow?: (row: unknown) => void) => (statements.push(query), db.prisma.$readRows(query, onRow)) },
  }) as typeof db.prisma;
  const budget = new ReadBudget(MAX_READ_BYTES);
  const [page] = await loadTimelineWindows(observed, [{ sessionPk: cited.id, limit: 20, newestFirst: false, filter: { kinds: ['CHAT_MESSAGE'] } }], budget);
  expect(page!.complete).toBe(false);
  const kept = page!.items.length;
  expect(kept).toBeGreaterThan(2);
  expect(kept).toBeLessThan(20);
  const cites = page!.items.map((_, n) => n % 2 === 0);
  expect(page!.items.map((item) => page!.sourcesOf.get(item.id)!.length)).toEqual(cites.map((cited) => (cited ? 2 : 0)));
  const citing = cites.filter(Boolean).length;
  // The statement again, under EXPLAIN ANALYZE: how often each scan of a message's sources ran.
  const [statement] = statements;
  const sourceScans = (await planNodes(db.prisma, statement!))
    .filter((node) => node['Index Name'] === 'timeline_item_parentId_seq_idx')
    .map((node) => Number(node['Actual Loops']));
  // One scan, for the kept messages citing any; none to size the 20 read.
  expect(sourceScans).toEqual([citing]);
});
