import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount, type AccountCredentials } from '../src/store/accounts.js';
import { createApiKey } from '../src/store/api-keys.js';
import { ensureSession } from '../src/store/sessions.js';
import { graphql as gql } from './documents/index.js';
import { runCli, startCli, type ServingCli } from './support/cli.js';
import { endedWithin, statusesOn, untilRefused, type Credential } from './support/credentials.js';
import { openTestDatabase, type TestDatabase } from './support/database.js';
import { graphql, startGateway, testSettings, type RunningGateway } from './support/gateway.js';
import { subscribe } from './support/subscription.js';

const Watch = gql(`subscription WatchWithdrawn($sessionId: ID!) { messageAdded(sessionId: $sessionId) { cursor } }`);
const Append = gql(`
  mutation AppendToWatched($sessionId: ID!, $messageId: String!) {
    appendMessages(sessionId: $sessionId, messages: [{ messageId: $messageId, role: USER, text: "hello" }]) { messagesCreated }
  }
`);

/** The promise a revoked key or rotated token is held to, on every gateway. */
const WITHIN_MS = 5000;
const SESSION = 'watched';

async function append(url: string, token: string, messageId: string) {
  const answer = await graphql({ url, close: async () => {} }, token, Append, { sessionId: SESSION, messageId });
  expect(answer.data?.appendMessages.messagesCreated, JSON.stringify(answer)).toBe(1);
}

// The CLI changes the credential as a process of its own, on the same PostgreSQL, with no Redis:
// the gateway hears of it from the database. Its own periodic check is set far beyond the test,
// so only that notice can end the stream and refuse the credential in time.
describe.skipIf(!process.env.DATABASE_URL)('a credential withdrawn with the CLI, on PostgreSQL without Redis', () => {
  let db: TestDatabase;
  let env: NodeJS.ProcessEnv;
  let gateway: ServingCli;

  beforeAll(async () => {
    db = await openTestDatabase();
    env = { ...process.env, DATABASE_URL: db.url, REDIS_URL: '', CREDENTIAL_CHECK_MS: '600000', RATE_LIMIT_AUTH_FAILURES: '100000' };
    gateway = await startCli(env);
  });

  afterAll(async () => {
    await gateway?.stop();
    await db?.close();
  });

  it('key revoke ends the stream opened with the key, which misses later appends, and the key is refused on all three APIs', async () => {
    const account = await createAccount(db.prisma, 'Revoked');
    await ensureSession(db.prisma, account.accountSid, { sessionId: SESSION });
    const key = await createApiKey(db.prisma, account.accountSid);
    const credential: Credential = { user: key.sid, secret: key.secret };
    // Accepted, and so remembered, by every API.
    expect(await statusesOn(gateway.url, credential, SESSION)).toEqual([200, 200, 200]);
    const stream = await subscribe(gateway.url, key.secret, Watch, { sessionId: SESSION });
    await append(gateway.url, account.authToken, 'before');
    await stream.next();

    const revoked = await runCli(['key', 'revoke', key.sid], env);
    expect(revoked).toMatchObject({ code: 0, stdout: `Revoked ${key.sid}.\n`, stderr: '' });
    expect(await endedWithin(stream.ended, WITHIN_MS)).toBe('complete');
    expect(await untilRefused(gateway.url, credential, SESSION, WITHIN_MS)).toEqual([401, 401, 401]);
    await append(gateway.url, account.authToken, 'after');
    expect(stream.pending()).toEqual([]);
    // The account's auth token was not withdrawn.
    expect(await statusesOn(gateway.url, { user: account.accountSid, secret: account.authToken }, SESSION)).toEqual([200, 200, 200]);
  });

  it('account rotate-token ends the stream opened with the old token, and the old token is refused on all three APIs', async () => {
    const account: AccountCredentials = await createAccount(db.prisma, 'Rotated');
    await ensureSession(db.prisma, account.accountSid, { sessionId: SESSION });
    const old: Credential = { user: account.accountSid, secret: account.authToken };
    expect(await statusesOn(gateway.url, old, SESSION)).toEqual([200, 200, 200]);
    const stream = await subscribe(gateway.url, account.authToken, Watch, { sessionId: SESSION });

    const rotated = await runCli(['account', 'rotate-token', account.accountSid], env);
    expect(rotated.code, rotated.stderr).toBe(0);
    const { authToken } = JSON.parse(rotated.stdout) as AccountCredentials;
    expect(await endedWithin(stream.ended, WITHIN_MS)).toBe('complete');
    expect(await untilRefused(gateway.url, old, SESSION, WITHIN_MS)).toEqual([401, 401, 401]);
    await append(gateway.url, authToken, 'after-rotation');
    expect(stream.pending()).toEqual([]);
    expect(await statusesOn(gateway.url, { user: account.accountSid, secret: authToken }, SESSION)).toEqual([200, 200, 200]);
  });
});

// However a credential is withdrawn (here behind the gateway's back, so that no notice of it can
// arrive), the gateway reads it again every CREDENTIAL_CHECK_MS: the streams opened with it end
// and it is refused within that.
describe('a credential withdrawn without notice', () => {
  let db: TestDatabase;
  let gateway: RunningGateway;

  beforeAll(async () => {
    db = await openTestDatabase();
    gateway = await startGateway(db.prisma, { settings: testSettings({ CREDENTIAL_CHECK_MS: '500', RATE_LIMIT_AUTH_FAILURES: '100000' }) });
  });

  afterAll(async () => {
    await gateway?.close();
    await db?.close();
  });

  it('a key deleted in the database: its stream ends, another credential\'s stream stays, and the key is refused', async () => {
    const account = await createAccount(db.prisma, 'Quietly revoked');
    await ensureSession(db.prisma, account.accountSid, { sessionId: SESSION });
    const key = await createApiKey(db.prisma, account.accountSid);
    const credential: Credential = { user: key.sid, secret: key.secret };
    expect(await statusesOn(gateway.url, credential, SESSION)).toEqual([200, 200, 200]);
    const withKey = await subscribe(gateway.url, key.secret, Watch, { sessionId: SESSION });
    const withToken = await subscribe(gateway.url, account.authToken, Watch, { sessionId: SESSION });

    await db.prisma.apiKey.delete({ where: { sid: key.sid } });
    expect(await endedWithin(withKey.ended, WITHIN_MS)).toBe('complete');
    expect(await untilRefused(gateway.url, credential, SESSION, WITHIN_MS)).toEqual([401, 401, 401]);
    await append(gateway.url, account.authToken, 'after-delete');
    expect((await withToken.next()).messageAdded.cursor).toEqual(expect.any(String));
    expect(withKey.pending()).toEqual([]);
    withToken.close();
  });

  it('an auth token replaced in the database: its stream ends and it is refused', async () => {
    const account = await createAccount(db.prisma, 'Quietly rotated');
    await ensureSession(db.prisma, account.accountSid, { sessionId: SESSION });
    const old: Credential = { user: account.accountSid, secret: account.authToken };
    expect(await statusesOn(gateway.url, old, SESSION)).toEqual([200, 200, 200]);
    const stream = await subscribe(gateway.url, account.authToken, Watch, { sessionId: SESSION });

    await db.prisma.account.update({ where: { sid: account.accountSid }, data: { authTokenHash: 'f'.repeat(64) } });
    expect(await endedWithin(stream.ended, WITHIN_MS)).toBe('complete');
    expect(await untilRefused(gateway.url, old, SESSION, WITHIN_MS)).toEqual([401, 401, 401]);
  });
});
