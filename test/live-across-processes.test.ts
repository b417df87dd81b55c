import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql as gql } from './documents/index.js';
import { createAccount, type AccountCredentials } from '../src/store/accounts.js';
import { ensureSession } from '../src/store/sessions.js';
import { startCli, type ServingCli } from './support/cli.js';
import { openTestDatabase, type TestDatabase } from './support/database.js';
import { endedWithin } from './support/credentials.js';
import { subscribe } from './support/subscription.js';

// Several gateway processes share one PostgreSQL; Redis carries live events between them.
// Embedded PGlite belongs to one process, so this needs DATABASE_URL (.ci/run sets it).

const Added = gql(`
  subscription AddedAcross($sessionId: ID!) { messageAdded(sessionId: $sessionId) { cursor message { position ... on ChatMessage { messageId text } } } }
`);

const AppendAcross = gql(`
  mutation AppendAcross($sessionId: ID!, $messageId: String!) {
    appendMessages(sessionId: $sessionId, messages: [{ messageId: $messageId, role: USER, text: "across processes" }]) { messagesCreated }
  }
`);

const DeleteAcross = gql(`
  mutation DeleteAcross($sessionId: ID!) { deleteSession(sessionId: $sessionId) { messagesDeleted } }
`);

describe.skipIf(!process.env.DATABASE_URL)('two gateway processes on one PostgreSQL and Redis', () => {
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  let db: TestDatabase;
  let alice: AccountCredentials;
  let bob: AccountCredentials;
  let first: ServingCli;
  let second: ServingCli;

  beforeAll(async () => {
    db = await openTestDatabase();
    alice = await createAccount(db.prisma, 'Alice');
    bob = await createAccount(db.prisma, 'Bob');
    await ensureSession(db.prisma, alice.accountSid, { sessionId: 'shared' });
    await ensureSession(db.prisma, bob.accountSid, { sessionId: 'shared' });
    await ensureSession(db.prisma, alice.accountSid, { sessionId: 'doomed' });
    await ensureSession(db.prisma, bob.accountSid, { sessionId: 'doomed' });
    const env = { ...process.env, DATABASE_URL: db.url, REDIS_URL: redisUrl };
    [first, second] = await Promise.all([startCli(env), startCli(env)]);
    expect(first.output()).toMatch(/live events Redis at/);
  });

  afterAll(async () => {
    await Promise.all([first?.stop(), second?.stop()]);
    await db?.close();
  });

  async function append(gateway: ServingCli, account: AccountCredentials, messageId: string) {
    const response = await fetch(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${account.authToken}` },
      body: JSON.stringify({ query: (await import('graphql')).print(AppendAcross), variables: { sessionId: 'shared', messageId } }),
    });
    expect(await response.json()).toEqual({ data: { appendMessages: { messagesCreated: 1 } } });
  }

  it('a subscriber on one process sees a message appended through the other', async () => {
    const subscription = await subscribe(first.url, alice.authToken, Added, { sessionId: 'shared' });
    try {
      await append(second, alice, 'across-1');
      const event = await subscription.next();
      expect(event.messageAdded.message).toEqual({ position: 1, messageId: 'across-1', text: 'across processes' });
    } finally {
      subscription.close();
    }
  });

  it("a subscriber never receives another account's events", async () => {
    const bobs = await subscribe(first.url, bob.authToken, Added, { sessionId: 'shared' });
    try {
      await append(second, alice, 'across-2');
      await append(second, bob, 'bob-across');
      expect((await bobs.next()).messageAdded.message).toMatchObject({ messageId: 'bob-across', position: 1 });
      // Bob's next message is the next event: nothing of Alice's came in between.
      await append(second, bob, 'bob-across-2');
      expect((await bobs.next()).messageAdded.message).toMatchObject({ messageId: 'bob-across-2', position: 2 });
      expect(bobs.pending()).toEqual([]);
    } finally {
      bobs.close();
    }
  });

  it('deleting a session through one process ends its streams on the other; the same id of another account streams on', async () => {
    const doomed = await subscribe(first.url, alice.authToken, Added, { sessionId: 'doomed' });
    const bobs = await subscribe(first.url, bob.authToken, Added, { sessionId: 'doomed' });
    try {
      const response = await fetch(`${second.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${alice.authToken}` },
        body: JSON.stringify({ query: (await import('graphql')).print(DeleteAcross), variables: { sessionId: 'doomed' } }),
      });
      expect(await response.json()).toEqual({ data: { deleteSession: { messagesDeleted: 0 } } });
      expect(await endedWithin(doomed.ended, 10_000)).toBe('complete');
      expect(await endedWithin(bobs.ended, 500)).toBe('open');
    } finally {
      doomed.close();
      bobs.close();
    }
  });
});
