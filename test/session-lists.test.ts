import { beforeAll, describe, expect, it } from 'vitest';
import { graphql as gql } from './documents/index.js';
import type { FilteredSessionsQuery, FilteredSessionsQueryVariables, SessionFilter, SessionOrder } from './documents/graphql.js';
import { createAccount, type AccountCredentials } from '../src/store/accounts.js';
import { appendMessages, type NewMessage } from '../src/store/append.js';
import type { Prisma } from '../src/store/generated/prisma/client.js';
import type { PrismaClient } from '../src/store/database.js';
import { loadSealingKey } from '../src/store/sealing.js';
import { readSessionPage, type SessionFilter as StoreSessionFilter } from '../src/store/session-pages.js';
import { ensureSession } from '../src/store/sessions.js';
import { graphql, useTestGateway } from './support/gateway.js';
import { rowsRead } from './support/plans.js';

const FilteredSessions = gql(`
  query FilteredSessions($filter: SessionFilter, $orderBy: SessionOrder, $first: Int, $after: String, $last: Int, $before: String) {
    sessions(filter: $filter, orderBy: $orderBy, first: $first, after: $after, last: $last, before: $before) {
      totalCount
      edges { cursor node { sessionId } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }
`);

// Every walk is checked against a model of the account's sessions kept by the test itself: a page
// must be exactly the sessions the model puts right after (or before) the previous page's last
// (first) session, in the list's order, as the list stands when the page is read. Between pages
// sessions are created and messages appended, so the model moves under the walk.

interface ModelSession {
  sessionId: string;
  id: bigint;
  identity: string;
  assistantId: string;
  createdAt: number;
  lastMessageAt: number | null;
  texts: string[];
  touched: boolean;
}

const fixture = useTestGateway();
let alice: AccountCredentials;
let bob: AccountCredentials;
const model: ModelSession[] = [];
const base = Date.UTC(2025, 4, 1);
const minutes = (n: number) => base + n * 60_000;
let clock = 1_000;

function chat(messageId: string, text: string, at: number): NewMessage {
  const createdAt = new Date(at);
  return { kind: 'CHAT_MESSAGE', origin: 'TWILIO', messageId, role: 'user', identity: null, assistantId: null, content: { text }, meta: {}, text, confidence: null, toolName: null, createdAt, updatedAt: createdAt, sources: [] };
}

async function createSession(accountSid: string, sessionId: string, identity: string, assistantId: string, createdAt: number) {
  const { session } = await ensureSession(fixture.db.prisma, accountSid, { sessionId, identity, assistantId, createdAt: new Date(createdAt) });
  if (accountSid === alice.accountSid) model.push({ sessionId, id: session.id, identity, assistantId, createdAt, lastMessageAt: null, texts: [], touched: false });
  return session;
}

async function append(accountSid: string, sessionId: string, text: string, at: number) {
  const { session } = await ensureSession(fixture.db.prisma, accountSid, { sessionId });
  await appendMessages(fixture.db.prisma, session, [chat(`${sessionId}-${clock++}`, text, at)]);
  const modelled = model.find((entry) => entry.sessionId === sessionId && accountSid === alice.accountSid);
  if (modelled) {
    modelled.lastMessageAt = Math.max(modelled.lastMessageAt ?? -Infinity, at);
    modelled.texts.push(text);
  }
}

beforeAll(async () => {
  alice = await createAccount(fixture.db.prisma, 'Alice');
  bob = await createAccount(fixture.db.prisma, 'Bob');
  for (let n = 0; n < 24; n++) {
    // Every fourth pair shares its creation time, so ties are broken by id.
    const createdAt = minutes(n - (n % 4 === 1 ? 1 : 0));
    await createSession(alice.accountSid, `s${n}`, `user-${n % 3}`, `aia_asst_${n % 2}`, createdAt);
    // A few stay empty; the others' messages are older or newer than the session, some of them tied.
    if (n % 5 === 4) continue;
    await append(alice.accountSid, `s${n}`, n % 3 === 0 ? `A refund was requested for order ${n}` : `hello ${n}`, minutes(((n * 7) % 24) + 2));
    if (n % 2) await append(alice.accountSid, `s${n}`, `and later ${n}`, minutes(((n * 11) % 30) + 3));
  }
  for (let n = 0; n < 6; n++) {
    await createSession(bob.accountSid, `bob${n}`, `user-${n % 3}`, `aia_asst_${n % 2}`, minutes(n));
    await append(bob.accountSid, `bob${n}`, 'A refund for Bob', minutes(n + 1));
  }
});

function matches(session: ModelSession, filter: SessionFilter): boolean {
  const at = (value: unknown) => new Date(value as string).getTime();
  return (
    (filter.identity == null || session.identity === filter.identity) &&
    (filter.assistantId == null || session.assistantId === filter.assistantId) &&
    (filter.createdAfter == null || session.createdAt > at(filter.createdAfter)) &&
    (filter.createdBefore == null || session.createdAt < at(filter.createdBefore)) &&
    (filter.lastMessageAfter == null || (session.lastMessageAt !== null && session.lastMessageAt > at(filter.lastMessageAfter))) &&
    (filter.lastMessageBefore == null || (session.lastMessageAt !== null && session.lastMessageAt < at(filter.lastMessageBefore))) &&
    (filter.text == null || session.texts.some((text) => /refund/.test(text)))
  );
}

type Position = [number, bigint];
const keyOf = (session: ModelSession, order: SessionOrder): Position => [
  order.startsWith('CREATED_AT') ? session.createdAt : (session.lastMessageAt ?? session.createdAt),
  session.id,
];
const compare = (a: Position, b: Position) => (a[0] !== b[0] ? a[0] - b[0] : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0);

/** The list as the model has it now: matching sessions in the order, each with its position. */
function modelList(filter: SessionFilter, order: SessionOrder) {
  const sign = order.endsWith('_DESC') ? -1 : 1;
  return model
    .filter((session) => matches(session, filter))
    .map((session) => ({ session, position: keyOf(session, order) }))
    .sort((a, b) => sign * compare(a.position, b.position));
}

/** Between pages: a new session, and a message appended to an existing one (a quarter of them mention a refund). */
async function somethingHappens(step: number) {
  clock++;
  await createSession(alice.accountSid, `new${clock}`, `user-${clock % 3}`, `aia_asst_${clock % 2}`, minutes(clock % 40));
  const target = model[(clock * 7) % model.length]!;
  target.touched = true;
  await append(alice.accountSid, target.sessionId, step % 4 ? `news ${clock}` : `another refund ${clock}`, minutes(clock % 45));
  await append(bob.accountSid, `bob${clock % 6}`, 'refund news for Bob', minutes(clock % 45));
}

async function walk(filter: SessionFilter, order: SessionOrder, size: number, backwards: boolean) {
  const sign = order.endsWith('_DESC') ? -1 : 1;
  const untouchedAtStart = modelList(filter, order).filter(({ session }) => !session.touched).map(({ session }) => session);
  const seen: string[] = [];
  let cursor: string | null = null;
  let position: Position | null = null;
  for (let page = 0; ; page++) {
    const variables: FilteredSessionsQueryVariables = backwards ? { filter, orderBy: order, last: size, before: cursor } : { filter, orderBy: order, first: size, after: cursor };
    const { data, errors } = await graphql(fixture.gateway, alice.authToken, FilteredSessions, variables);
    expect(errors).toBeUndefined();
    const { edges, pageInfo, totalCount }: FilteredSessionsQuery['sessions'] = data!.sessions;
    const list = modelList(filter, order);
    expect(totalCount).toBe(list.length);
    const remaining = list.filter(({ position: p }) => position === null || sign * compare(p, position) * (backwards ? -1 : 1) > 0);
    const expected = backwards ? remaining.slice(-size) : remaining.slice(0, size);
    const got = edges.map((edge) => edge.node.sessionId);
    expect(got, `page ${page}`).toEqual(expected.map(({ session }) => session.sessionId));
    expect(backwards ? pageInfo.hasPreviousPage : pageInfo.hasNextPage).toBe(remaining.length > size);
    seen.push(...(backwards ? [...got].reverse() : got));
    if (!(backwards ? pageInfo.hasPreviousPage : pageInfo.hasNextPage)) break;
    cursor = backwards ? pageInfo.startCursor! : pageInfo.endCursor!;
    position = (backwards ? expected[0] : expected.at(-1))!.position;
    // Mutations on the first pages only, so that a walk at page size 1 comes to an end.
    if (page < 4) await somethingHappens(page);
  }
  // What nothing touched during the walk comes exactly once, in the list's order.
  const untouched = new Set(untouchedAtStart.filter((session) => !session.touched).map((session) => session.sessionId));
  const seenUntouched = seen.filter((sessionId) => untouched.has(sessionId));
  const order_ = untouchedAtStart.filter((session) => untouched.has(session.sessionId)).map((session) => session.sessionId);
  expect(seenUntouched).toEqual(backwards ? [...order_].reverse() : order_);
  expect(seen.filter((sessionId) => sessionId.startsWith('bob'))).toEqual([]);
}

const at = (n: number) => new Date(minutes(n)).toISOString();
const filters: Record<string, SessionFilter> = {
  'no filter': {},
  identity: { identity: 'user-1' },
  assistantId: { assistantId: 'aia_asst_0' },
  createdAfter: { createdAfter: at(8) },
  createdBefore: { createdBefore: at(16) },
  lastMessageAfter: { lastMessageAfter: at(10) },
  lastMessageBefore: { lastMessageBefore: at(20) },
  text: { text: 'refunds' },
  'all combined': { identity: 'user-0', assistantId: 'aia_asst_0', createdAfter: at(-1), createdBefore: at(60), lastMessageAfter: at(0), lastMessageBefore: at(50), text: 'refund' },
};
const orders: SessionOrder[] = ['CREATED_AT_ASC', 'CREATED_AT_DESC', 'LAST_MESSAGE_AT_ASC', 'LAST_MESSAGE_AT_DESC'];

describe.each(Object.entries(filters))('%s', (_name, filter) => {
  it.each(orders.flatMap((order) => [1, 7, 50].flatMap((size) => [false, true].map((backwards) => ({ order, size, backwards })))))(
    '$order, page size $size, backwards: $backwards',
    async ({ order, size, backwards }) => {
      await walk(filter, order, size, backwards);
    },
    120_000,
  );
});

describe('cursors and accounts', () => {
  it('a cursor of one filter or order is refused by another, and by another account', async () => {
    const { data } = await graphql(fixture.gateway, alice.authToken, FilteredSessions, { filter: { identity: 'user-1' }, orderBy: 'LAST_MESSAGE_AT_DESC', first: 1 });
    const after = data!.sessions.pageInfo.endCursor;
    for (const [variables, token] of [
      [{ filter: { identity: 'user-2' }, orderBy: 'LAST_MESSAGE_AT_DESC' }, alice.authToken],
      [{ filter: { identity: 'user-1' }, orderBy: 'LAST_MESSAGE_AT_ASC' }, alice.authToken],
      [{ filter: { identity: 'user-1', text: 'refund' }, orderBy: 'LAST_MESSAGE_AT_DESC' }, alice.authToken],
      [{ orderBy: 'LAST_MESSAGE_AT_DESC' }, alice.authToken],
      [{ filter: { identity: 'user-1' }, orderBy: 'LAST_MESSAGE_AT_DESC' }, bob.authToken],
    ] as const) {
      const { data: refused, errors } = await graphql(fixture.gateway, token, FilteredSessions, { ...variables, first: 1, after });
      expect(refused).toBeNull();
      expect(errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(errors?.[0]?.message).toMatch(/not a cursor this API handed out for this list/);
    }
    const { errors } = await graphql(fixture.gateway, alice.authToken, FilteredSessions, { first: 1, after: 'garbage' });
    expect(errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it("lists only the caller's sessions, and counts only those", async () => {
    const { data } = await graphql(fixture.gateway, bob.authToken, FilteredSessions, { first: 1000, filter: { text: 'refund' } });
    expect(data!.sessions.edges.map((edge) => edge.node.sessionId).sort()).toEqual(['bob0', 'bob1', 'bob2', 'bob3', 'bob4', 'bob5']);
    expect(data!.sessions.totalCount).toBe(6);
  });

  it('a text filter of only stop words, empty, too long, or an id with NUL is BAD_USER_INPUT', async () => {
    for (const filter of [{ text: 'the of' }, { text: ' ' }, { text: 'x'.repeat(1000) }, { identity: 'a\u0000b' }, { assistantId: 'x'.repeat(300) }]) {
      const { data, errors } = await graphql(fixture.gateway, alice.authToken, FilteredSessions, { filter, first: 5 });
      expect(data).toBeNull();
      expect(errors?.[0]?.extensions?.code, JSON.stringify(filter)).toBe('BAD_USER_INPUT');
      expect(errors?.[0]?.message).toMatch(/^filter\./);
    }
  });
});

describe('reading', () => {
  /** The session rows the plan of the list's page statement reads. */
  async function sessionRowsRead(filter: StoreSessionFilter, order: SessionOrder): Promise<number> {
    const recorded: Prisma.Sql[] = [];
    const recording = new Proxy(fixture.db.prisma, {
      get: (target, property) => (property === '$readRows' ? (query: Prisma.Sql) => (recorded.push(query), target.$readRows(query)) : Reflect.get(target, property, target)),
    }) as PrismaClient;
    const list = { accountSid: alice.accountSid, sealingKey: await loadSealingKey(fixture.db.prisma), filter, order };
    await readSessionPage(recording, list, { first: 1000 });
    const [statement] = recorded;
    return rowsRead(fixture.db.prisma, statement!, 'session');
  }

  it('a list bounded by the last message reads the sessions last active within the bound, not every session of the account', async () => {
    const activity = (session: ModelSession) => session.lastMessageAt ?? session.createdAt;
    for (const [filter, order, within] of [
      [{ lastMessageAfter: new Date(minutes(10)) }, 'LAST_MESSAGE_AT_ASC', (session: ModelSession) => activity(session) > minutes(10)],
      [{ lastMessageBefore: new Date(minutes(20)) }, 'LAST_MESSAGE_AT_DESC', (session: ModelSession) => activity(session) < minutes(20)],
    ] as const) {
      const bounded = model.filter(within).length;
      expect(bounded).toBeLessThan(model.length);
      expect(await sessionRowsRead(filter, order), JSON.stringify(filter)).toBe(bounded);
    }
  });
});
