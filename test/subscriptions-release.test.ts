import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql as gql } from './documents/index.js';
import { processMemory, runCli, startCli, type ServingCli } from './support/cli.js';
import { openTestDatabase, type TestDatabase } from './support/database.js';
import { subscribe } from './support/subscription.js';

// Subscribers that come and go on a session where nothing happens: each one must be released when
// its client leaves, not at the session's next event (which may never come).

const ResumeQuiet = gql(`
  subscription ResumeQuiet($sessionId: ID!, $after: String) { messageAdded(sessionId: $sessionId, after: $after) { cursor message { position } } }
`);

const CAP = 100;
const SUBSCRIPTIONS = 5000;
const AT_ONCE = 50;
const MB = 1024 * 1024;

describe('subscriptions released the moment their client leaves', () => {
  let db: TestDatabase | undefined;
  let dataDir: string | undefined;
  let gateway: ServingCli;
  let token: string;
  let firstCursor: string;

  beforeAll(async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, MAX_SUBSCRIPTIONS_PER_ACCOUNT: String(CAP), REDIS_URL: '' };
    if (process.env.DATABASE_URL) {
      db = await openTestDatabase();
      env.DATABASE_URL = db.url;
    } else {
      dataDir = mkdtempSync(path.join(tmpdir(), 'cg-release-'));
      env.DATA_DIR = dataDir;
    }
    const created = await runCli(['account', 'create', '--name', 'Quiet'], env);
    token = JSON.parse(created.stdout).authToken;
    gateway = await startCli(env);
    const call = async (query: string) => {
      const response = await fetch(`${gateway.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query }),
      });
      return (await response.json()) as any;
    };
    await call('mutation { createSession(sessionId: "quiet") { session { sessionId } } }');
    await call('mutation { appendMessages(sessionId: "quiet", messages: [{ messageId: "a", role: USER, text: "a" }, { messageId: "b", role: USER, text: "b" }]) { messagesCreated } }');
    firstCursor = (await call('{ session(id: "quiet") { messages(first: 1) { edges { cursor } } } }')).data.session.messages.edges[0].cursor;
  });

  afterAll(async () => {
    await gateway?.stop();
    await db?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  /** Opens a subscription and drops it once the gateway answers (by then it listens, and counts against the cap). */
  async function openAndDrop() {
    (await subscribe(gateway.url, token, ResumeQuiet, { sessionId: 'quiet', after: firstCursor })).close();
  }

  async function churn(count: number) {
    for (let done = 0; done < count; done += AT_ONCE) await Promise.all(Array.from({ length: AT_ONCE }, openAndDrop));
  }

  // 6,000 streams opened and dropped take minutes on PGlite on a busy machine: the test asserts memory, not time.
  it(`${SUBSCRIPTIONS} subscriptions opened and dropped on a quiet session leave memory where it was, and the account's cap free`, async () => {
    await churn(1000);
    const before = processMemory(gateway.child.pid, 'VmRSS');
    await churn(SUBSCRIPTIONS);
    const after = processMemory(gateway.child.pid, 'VmRSS');
    console.log(`gateway RSS ${Math.round(before / MB)} MB before ${SUBSCRIPTIONS} subscriptions, ${Math.round(after / MB)} MB after`);
    expect(after - before).toBeLessThan(30 * MB);

    // Every one of them was released: the account can open its whole cap again, and no more.
    const open = await Promise.all(Array.from({ length: CAP }, () => subscribe(gateway.url, token, ResumeQuiet, { sessionId: 'quiet', after: firstCursor })));
    try {
      for (const subscription of open) expect((await subscription.next(30_000)).messageAdded.message).toEqual({ position: 2 });
      const refused = await subscribe(gateway.url, token, ResumeQuiet, { sessionId: 'quiet', after: firstCursor });
      await expect(refused.next(2000)).rejects.toThrow(/LIMIT_EXCEEDED/);
      refused.close();
    } finally {
      for (const subscription of open) subscription.close();
    }
  }, 360_000);
});
