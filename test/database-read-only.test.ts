import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { reportFaultsTo } from '../src/errors.js';
import { createAccount, type AccountCredentials } from '../src/store/accounts.js';
import { startGateway, testSettings, type RunningGateway } from './support/gateway.js';
import { openTestDatabase, type TestDatabase } from './support/database.js';
import { createConversation } from './support/timeline.js';

// A database that refuses writes (turned read-only by its operator, or a standby) under a running
// gateway: writes are `unavailable` in their API's shape, reads go on, /ready says why, and nothing
// is reported as a fault of ours. Set back, writes work again without a restart.

let db: TestDatabase;
let gateway: RunningGateway;
let alice: AccountCredentials;
const faults: unknown[] = [];

beforeAll(async () => {
  db = await openTestDatabase();
  alice = await createAccount(db.prisma, 'Alice');
  await createConversation(db.prisma, alice.accountSid, 'chat', 5);
  gateway = await startGateway(db.prisma, { settings: testSettings({ REQUEST_TIMEOUT_MS: '10000' }) });
  reportFaultsTo((error) => faults.push(error));
});

afterAll(async () => {
  reportFaultsTo((error) => console.error(error));
  await gateway?.close();
  await db?.close();
});

/**
 * Turns the test's database read-only, or back. On PostgreSQL as an operator would: the database's
 * default, then its sessions ended so that the pool reconnects with it. The embedded database has
 * one session: the setting is made there.
 */
async function setReadOnly(on: boolean): Promise<void> {
  if (!db.url) {
    await db.prisma.$executeRawUnsafe(`SET default_transaction_read_only = ${on ? 'on' : 'off'}`);
    return;
  }
  const name = new URL(db.url).pathname.slice(1);
  const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await admin.connect();
  try {
    await admin.query(`ALTER DATABASE ${name} ${on ? 'SET default_transaction_read_only = on' : 'RESET default_transaction_read_only'}`);
    await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [name]);
  } finally {
    await admin.end();
  }
  // The pool drops the connections it sees end; the next statements open new ones.
  await expect.poll(() => db.pool!.totalCount, { timeout: 10_000 }).toBe(0);
}

let appended = 0;

async function append() {
  const response = await fetch(`${gateway.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', authorization: `Bearer ${alice.authToken}` },
    body: JSON.stringify({
      query: 'mutation($messages: [MessageInput!]!) { appendMessages(sessionId: "chat", messages: $messages) { messagesCreated } }',
      variables: { messages: [{ messageId: `read-only-${++appended}`, role: 'USER', text: 'hello' }] },
    }),
  });
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body: (await response.json()) as any };
}

async function get(path: string) {
  const authorization = path.startsWith('/v1/') ? `Basic ${Buffer.from(`${alice.accountSid}:${alice.authToken}`).toString('base64')}` : `Bearer ${alice.authToken}`;
  const response = await fetch(`${gateway.url}${path}`, { headers: { authorization } });
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body: (await response.json()) as any };
}

it('a read-only database: writes are 503 with Retry-After, reads are served, /ready is 503 saying so; set back, writes work again', async () => {
  expect(await append()).toMatchObject({ status: 200, body: { data: { appendMessages: { messagesCreated: 1 } } } });
  expect(await get('/ready')).toEqual({ status: 200, retryAfter: null, body: { status: 'ok' } });
  const twilioPage = await get('/v1/Sessions/chat/Messages?PageSize=50');
  const analyticsArray = await get('/api/v1/conversations/chat/messages');

  await setReadOnly(true);
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      const refused = await append();
      expect(refused).toMatchObject({ status: 503, retryAfter: expect.stringMatching(/^[1-9]\d*$/) });
      expect(refused.body.errors).toEqual([expect.objectContaining({ message: expect.stringMatching(/refuses writes/), extensions: expect.objectContaining({ code: 'SERVICE_UNAVAILABLE' }) })]);
    }
    expect(await get('/v1/Sessions/chat/Messages?PageSize=50')).toEqual(twilioPage);
    expect(await get('/api/v1/conversations/chat/messages')).toEqual(analyticsArray);
    expect(await get('/ready')).toEqual({ status: 503, retryAfter: expect.stringMatching(/^\d+$/), body: { status: 'unavailable', reason: expect.stringMatching(/refuses writes/) } });
  } finally {
    await setReadOnly(false);
  }

  expect(await append()).toMatchObject({ status: 200, body: { data: { appendMessages: { messagesCreated: 1 } } } });
  expect(await get('/ready')).toEqual({ status: 200, retryAfter: null, body: { status: 'ok' } });
  expect(faults).toEqual([]);
});
