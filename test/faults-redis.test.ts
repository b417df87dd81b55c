import { print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql as gql } from './documents/index.js';
import { createAccount, type AccountCredentials } from '../src/store/accounts.js';
import { openDatabase, type Database } from '../src/store/database.js';
import { ensureSession } from '../src/store/sessions.js';
import { startCli, type ServingCli } from './support/cli.js';
import { privatePostgresMissing, privateRedisMissing, startPrivatePostgres, startPrivateRedis, type PrivateService } from './support/private-services.js';
import { subscribe, type Subscription } from './support/subscription.js';

// Two gateway processes on a PostgreSQL and a Redis of the test's own; Redis is stopped and a
// gateway killed while messages are appended. A subscriber that comes back with its last cursor
// must receive every message it missed, exactly once, in order.

const Follow = gql(`
  subscription Follow($sessionId: ID!, $after: String) {
    messageAdded(sessionId: $sessionId, after: $after) { cursor message { position ... on ChatMessage { messageId } } }
  }
`);

const AppendOne = gql(`
  mutation AppendOne($sessionId: ID!, $messageId: String!) {
    appendMessages(sessionId: $sessionId, messages: [{ messageId: $messageId, role: USER, text: "hello" }]) { messagesCreated }
  }
`);

const missing = privatePostgresMissing ?? privateRedisMissing;

describe.skipIf(missing)(`Redis outages and gateway restarts cost a subscriber nothing${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let postgres: PrivateService;
  let redis: PrivateService;
  let database: Database;
  let alice: AccountCredentials;
  let first: ServingCli;
  let second: ServingCli;

  beforeAll(async () => {
    [postgres, redis] = await Promise.all([startPrivatePostgres(), startPrivateRedis()]);
    database = await openDatabase({ url: postgres.url });
    alice = await createAccount(database.prisma, 'Alice');
    await ensureSession(database.prisma, alice.accountSid, { sessionId: 'outage' });
    await ensureSession(database.prisma, alice.accountSid, { sessionId: 'restart' });
    const env = { ...process.env, DATABASE_URL: postgres.url, REDIS_URL: redis.url };
    [first, second] = await Promise.all([startCli(env), startCli(env)]);
  });

  afterAll(async () => {
    await Promise.all([first?.stop(), second?.stop()]);
    await database?.close();
    await Promise.all([postgres?.close(), redis?.close()]);
  });

  async function append(gateway: ServingCli, sessionId: string, messageId: string) {
    const response = await fetch(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${alice.authToken}` },
      body: JSON.stringify({ query: print(AppendOne), variables: { sessionId, messageId } }),
    });
    expect({ status: response.status, body: await response.json() }).toEqual({ status: 200, body: { data: { appendMessages: { messagesCreated: 1 } } } });
  }

  /** The next `count` events' message ids, and the cursor of the last. */
  async function receive(subscription: Subscription<any>, count: number) {
    const ids: string[] = [];
    let cursor = '';
    for (let n = 0; n < count; n++) {
      const { messageAdded } = await subscription.next(15_000);
      ids.push(messageAdded.message.messageId);
      cursor = messageAdded.cursor;
    }
    return { ids, cursor };
  }

  it('Redis stopped: appends succeed, the processes stay up; the subscriber resumes with its cursor and gets each missed item once, in order', async () => {
    const before = await subscribe(first.url, alice.authToken, Follow, { sessionId: 'outage' });
    await append(second, 'outage', 'before-outage');
    const { cursor } = await receive(before, 1);
    before.close();

    await redis.stop();
    const missed = ['during-1', 'during-2', 'during-3', 'during-4', 'during-5', 'during-6'];
    for (const [n, id] of missed.entries()) await append(n % 2 ? first : second, 'outage', id);
    await redis.start();
    // A write after Redis is back, before any subscriber returns.
    await append(second, 'outage', 'after-outage');

    const resumed = await subscribe(first.url, alice.authToken, Follow, { sessionId: 'outage', after: cursor });
    try {
      expect((await receive(resumed, missed.length + 1)).ids).toEqual([...missed, 'after-outage']);
      // Live again across processes once Redis is back; nothing was delivered twice in between.
      await append(second, 'outage', 'live-again');
      expect((await receive(resumed, 1)).ids).toEqual(['live-again']);
      expect(resumed.pending()).toEqual([]);
    } finally {
      resumed.close();
    }
    expect(first.child.exitCode).toBeNull();
    expect(second.child.exitCode).toBeNull();
    // One line of the JSON log for the outage and one for the return, however many clients (event
    // bus, rate limiter, credential watcher) lost Redis and however many events were missed.
    const lines = (text: string) => first.output().split('\n').filter((line) => line.includes(text));
    expect(lines('Redis is unreachable')).toHaveLength(1);
    expect(JSON.parse(lines('Redis is unreachable')[0]!)).toMatchObject({ level: 40, redis: expect.stringMatching(/^Redis at /), err: expect.any(String) });
    expect(lines('Redis is back').map((line) => JSON.parse(line))).toEqual([expect.objectContaining({ level: 30, redis: expect.stringMatching(/^Redis at /) })]);
  });

  it('a gateway started while Redis is down starts, serves writes, and says so', async () => {
    await redis.stop();
    let late: ServingCli | undefined;
    try {
      late = await startCli({ ...process.env, DATABASE_URL: postgres.url, REDIS_URL: redis.url });
      await append(late, 'outage', 'written-while-redis-down');
      expect(late.output()).toMatch(/is unreachable/);
    } finally {
      await redis.start();
      await late?.stop();
    }
  });

  it("the subscriber's own gateway killed: another process serves the reconnect, from the same cursor", async () => {
    const subscription = await subscribe(first.url, alice.authToken, Follow, { sessionId: 'restart' });
    await append(second, 'restart', 'before-kill');
    const { cursor } = await receive(subscription, 1);
    first.child.kill('SIGKILL');
    await subscription.ended;

    const missed = ['while-gone-1', 'while-gone-2', 'while-gone-3'];
    for (const id of missed) await append(second, 'restart', id);
    const resumed = await subscribe(second.url, alice.authToken, Follow, { sessionId: 'restart', after: cursor });
    try {
      expect((await receive(resumed, missed.length)).ids).toEqual(missed);
      await append(second, 'restart', 'live');
      expect((await receive(resumed, 1)).ids).toEqual(['live']);
      expect(resumed.pending()).toEqual([]);
    } finally {
      resumed.close();
    }
  });
});
