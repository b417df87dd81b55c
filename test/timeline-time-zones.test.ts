import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Prisma } from '../src/store/generated/prisma/client.js';
import { createAccount, type AccountCredentials } from '../src/store/accounts.js';
import { openDatabase, type Database, type PrismaClient } from '../src/store/database.js';
import { ensureSession } from '../src/store/sessions.js';
import { openDatabaseInTimeZone, openTestDatabase, setDatabaseDefaults, type TestDatabase } from './support/database.js';
import { graphql, startGateway, type StartedGateway } from './support/gateway.js';

// The database server's TimeZone can be anything, and a message's time can be any ISO 8601
// date-time, also one from before a zone kept standard time: PostgreSQL then writes the local mean
// time's offset with seconds (New York before 1883: -04:56:02). A page's sources, and the session
// read with a lone page, must still carry the instants stored.

const ZONE = 'America/New_York';
let db: TestDatabase;
let zoned: Database | undefined;
let gateway: StartedGateway;
let account: AccountCredentials;

beforeAll(async () => {
  db = await openTestDatabase();
  if (db.url) {
    zoned = await openDatabaseInTimeZone(db.url, ZONE);
  } else {
    await setDatabaseDefaults(db, { TimeZone: ZONE });
  }
  const prisma = (zoned ?? db).prisma;
  expect(await prisma.$readRows(Prisma.sql`SELECT current_setting('TimeZone') AS zone`)).toEqual([{ zone: ZONE }]);
  account = await createAccount(prisma);
  await ensureSession(prisma, account.accountSid, { sessionId: 'old-times' });
  gateway = await startGateway(prisma);
});

afterAll(async () => {
  await gateway?.close();
  await zoned?.close();
  await db?.close();
});

const APPEND = `mutation Append($sessionId: ID!, $messages: [MessageInput!]!) { appendMessages(sessionId: $sessionId, messages: $messages) { messagesCreated } }`;
const SOURCES = `... on ChatMessage { sources { key createdAt updatedAt } } ... on KnowledgeCall { sources { key createdAt updatedAt } }`;

it('sources and the session carry the instants stored, in a zone whose old offsets have seconds', async () => {
  const times = ['1850-06-01T12:00:00.123Z', '1883-11-18T16:59:59.999Z', '2025-01-01T00:00:00.000Z'];
  const messages = times.map((createdAt, n) => ({
    messageId: `old-${n}`,
    role: n === 1 ? 'KNOWLEDGE' : 'ASSISTANT',
    type: n === 1 ? 'KNOWLEDGE_CALL' : 'CHAT_MESSAGE',
    text: `message ${n}`,
    createdAt,
    sources: [{ key: '1', text: `source of ${n}`, url: 'https://example.com', score: 0.25, title: 'Title' }],
  }));
  const appended = await graphql<{ appendMessages: { messagesCreated: number } }, unknown>(gateway, account.authToken, APPEND, { sessionId: 'old-times', messages });
  expect(appended.errors).toBeUndefined();
  expect(appended.data!.appendMessages.messagesCreated).toBe(3);

  const expected = times.map((at) => ({ sources: [{ key: '1', createdAt: at, updatedAt: at }] }));
  // A lone page: read with its session, in one statement.
  const lone = await graphql<{ session: { summary: unknown; messages: { edges: { node: unknown }[] } } }, unknown>(
    gateway,
    account.authToken,
    `{ session(id: "old-times") { summary { firstMessageAt lastMessageAt } messages(first: 10, types: [CHAT_MESSAGE, KNOWLEDGE_CALL]) { edges { node { ${SOURCES} } } } } }`,
  );
  expect(lone.errors).toBeUndefined();
  expect(lone.data!.session.messages.edges.map((edge) => edge.node)).toEqual(expected);

  // Aliased pages, forwards and backwards: read in one statement after the session.
  const aliased = await graphql<{ session: { forwards: { edges: { node: unknown }[] }; backwards: { edges: { node: unknown }[] } } }, unknown>(
    gateway,
    account.authToken,
    `{ session(id: "old-times") {
      forwards: messages(first: 10, types: [CHAT_MESSAGE, KNOWLEDGE_CALL]) { edges { node { ${SOURCES} } } }
      backwards: messages(last: 10, types: [CHAT_MESSAGE, KNOWLEDGE_CALL]) { edges { node { ${SOURCES} } } }
    } }`,
  );
  expect(aliased.errors).toBeUndefined();
  expect(aliased.data!.session.forwards.edges.map((edge) => edge.node)).toEqual(expected);
  expect(aliased.data!.session.backwards.edges.map((edge) => edge.node)).toEqual(expected);
});

// A server whose own TimeZone is not UTC (a database or role set to a local zone, as Debian's
// packages set the machine's): every instant written and read must still be the one sent.
describe.skipIf(!process.env.DATABASE_URL)('on a server set to a zone other than UTC', () => {
  let local: Database;
  let localGateway: StartedGateway;

  beforeAll(async () => {
    await setDatabaseDefaults(db, { TimeZone: ZONE });
    const plain = new pg.Client({ connectionString: db.url });
    await plain.connect();
    // What a connection gets from the server when nothing asks for a zone.
    expect((await plain.query('SHOW TimeZone')).rows).toEqual([{ TimeZone: ZONE }]);
    await plain.end();
    local = await openDatabase({ url: db.url });
    localGateway = await startGateway(local.prisma);
  });

  afterAll(async () => {
    await localGateway?.close();
    await local?.close();
  });

  it('messages, their sources, the session and its summary carry the instants sent, in GraphQL and in the table', () =>
    expectInstantsKept(local.prisma, localGateway, account, 'local-server'));
});

// The embedded database takes its TimeZone from the process's local zone (as a fixed offset, the
// one in force when it opens): a gateway on a machine set to a local zone, with no PostgreSQL at
// all, must still store the instants sent.
describe('on the embedded database, in a process whose local zone is not UTC', () => {
  const processZone = process.env.TZ;
  let embedded: Database;
  let embeddedGateway: StartedGateway;
  let owner: AccountCredentials;

  beforeAll(async () => {
    process.env.TZ = ZONE;
    embedded = await openDatabase({ dataDir: 'memory://' });
    owner = await createAccount(embedded.prisma);
    embeddedGateway = await startGateway(embedded.prisma);
  });

  afterAll(async () => {
    await embeddedGateway?.close();
    await embedded?.close();
    if (processZone === undefined) delete process.env.TZ;
    else process.env.TZ = processZone;
  });

  it('messages, their sources, the session and its summary carry the instants sent, in GraphQL and in the table', () =>
    expectInstantsKept(embedded.prisma, embeddedGateway, owner, 'embedded'));
});

/** Appends two messages citing a source each through GraphQL, then reads them: GraphQL and the table must carry the instants sent. */
async function expectInstantsKept(prisma: PrismaClient, gateway: StartedGateway, owner: AccountCredentials, sessionId: string): Promise<void> {
  const before = Date.now();
  await ensureSession(prisma, owner.accountSid, { sessionId });
  const times = ['2025-01-15T09:30:00.250Z', '2025-07-15T21:45:10.000Z'];
  const messages = times.map((createdAt, n) => ({
    messageId: `${sessionId}-${n}`,
    role: 'ASSISTANT',
    type: 'CHAT_MESSAGE',
    text: `message ${n}`,
    createdAt,
    sources: [{ key: '1', text: `source of ${n}` }],
  }));
  const appended = await graphql<{ appendMessages: { messagesCreated: number } }, unknown>(gateway, owner.authToken, APPEND, { sessionId, messages });
  expect(appended.errors).toBeUndefined();

  const read = await graphql<{ session: { createdAt: string; summary: unknown; messages: unknown } }, unknown>(
    gateway,
    owner.authToken,
    `query Read($id: ID!) { session(id: $id) { createdAt summary { firstMessageAt lastMessageAt } messages(first: 10, types: [CHAT_MESSAGE]) { edges { node { createdAt ... on ChatMessage { sources { createdAt } } } } } } }`,
    { id: sessionId },
  );
  expect(read.errors).toBeUndefined();
  const { createdAt, ...rest } = read.data!.session;
  expect(rest).toEqual({
    summary: { firstMessageAt: times[0], lastMessageAt: times[1] },
    messages: { edges: times.map((at) => ({ node: { createdAt: at, sources: [{ createdAt: at }] } })) },
  });
  // Made a moment ago, not hours away.
  expect(Math.abs(Date.parse(createdAt) - before)).toBeLessThan(60_000);
  // As stored: milliseconds since 1970, whatever zone reads them.
  const [stored] = await prisma.$queryRaw<[{ first: number; last: number; items: number[] }]>`
    SELECT (extract(epoch FROM s."firstMessageAt") * 1000)::float8 AS first,
           (extract(epoch FROM s."lastMessageAt") * 1000)::float8 AS last,
           array_agg((extract(epoch FROM t."createdAt") * 1000)::float8 ORDER BY t.seq) AS items
    FROM session s JOIN timeline_item t ON t."sessionPk" = s.id
    WHERE s."sessionId" = ${sessionId} GROUP BY s.id`;
  const millis = times.map((at) => Date.parse(at));
  expect(stored).toEqual({ first: millis[0], last: millis[1], items: [millis[0], millis[0], millis[1], millis[1]] });
}
