import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount, type AccountCredentials } from '../src/store/accounts.js';
import { createApiKey } from '../src/store/api-keys.js';
import { ensureSession } from '../src/store/sessions.js';
import { graphql as gql } from './documents/index.js';
import { runCli, startCli, type ServingCli } from './support/cli.js';
import { openTestDatabase, type TestDatabase } from './support/database.js';
import { endedWithin, statusesOn, untilRefused } from './support/credentials.js';
import { subscribe } from './support/subscription.js';

const Watch = gql(`subscription WatchRotated($sessionId: ID!) { messageAdded(sessionId: $sessionId) { cursor } }`);

// A credential changed through the CLI is refused at once by every gateway process: the change
// travels through Redis. Several processes on one database need PostgreSQL.

describe.skipIf(!process.env.DATABASE_URL)('credentials changed while two gateway processes share PostgreSQL and Redis', () => {
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  let db: TestDatabase;
  let env: NodeJS.ProcessEnv;
  let gateways: ServingCli[];

  beforeAll(async () => {
    db = await openTestDatabase();
    env = { ...process.env, DATABASE_URL: db.url, REDIS_URL: redisUrl, RATE_LIMIT_AUTH_FAILURES: '100000' };
    gateways = await Promise.all([startCli(env), startCli(env)]);
  });

  afterAll(async () => {
    await Promise.all((gateways ?? []).map((gateway) => gateway.stop()));
    await db?.close();
  });

  async function statusOn(gateway: ServingCli, token: string) {
    const response = await fetch(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ account { sid } }' }),
    });
    return response.status;
  }

  it('account rotate-token: the old token is refused at once on both processes, the new one accepted', async () => {
    const account: AccountCredentials = await createAccount(db.prisma, 'Rotated');
    // Both processes have accepted (and cached) the token.
    for (const gateway of gateways) expect(await statusOn(gateway, account.authToken)).toBe(200);
    const rotated = await runCli(['account', 'rotate-token', account.accountSid], env);
    expect(rotated.code, rotated.stderr).toBe(0);
    const { authToken } = JSON.parse(rotated.stdout) as AccountCredentials;
    for (const gateway of gateways) {
      expect(await statusOn(gateway, account.authToken)).toBe(401);
      expect(await statusOn(gateway, authToken)).toBe(200);
    }
  });

  it('account rotate-token ends the streams open with the account: a leaked token stops reading live data', async () => {
    const account = await createAccount(db.prisma, 'Streaming');
    await ensureSession(db.prisma, account.accountSid, { sessionId: 'watched' });
    const stream = await subscribe(gateways[1]!.url, account.authToken, Watch, { sessionId: 'watched' });
    const rotated = await runCli(['account', 'rotate-token', account.accountSid], env);
    expect(rotated.code, rotated.stderr).toBe(0);
    expect(await stream.ended).toBe('complete');
  });

  it('account rotate-token with Redis unreachable: the new token is printed, a warning says the gateways refuse the old one within seconds all the same', async () => {
    const account = await createAccount(db.prisma, 'Offline');
    const rotated = await runCli(['account', 'rotate-token', account.accountSid], { ...env, REDIS_URL: 'redis://127.0.0.1:1' });
    expect(rotated.code).toBe(0);
    expect(JSON.parse(rotated.stdout)).toMatchObject({ accountSid: account.accountSid, authToken: expect.any(String) });
    expect(rotated.stderr).toMatch(/^conversation-gateway: warning: running gateways could not be told through Redis .*within 5 s all the same/);
    expect(rotated.stderr).not.toContain('Unhandled');
  });

  it('key revoke: the key is refused at once on both processes', async () => {
    const account = await createAccount(db.prisma, 'Revoked');
    const key = await createApiKey(db.prisma, account.accountSid);
    for (const gateway of gateways) expect(await statusOn(gateway, key.secret)).toBe(200);
    const revoked = await runCli(['key', 'revoke', key.sid], env);
    expect(revoked).toMatchObject({ code: 0, stdout: `Revoked ${key.sid}.\n` });
    for (const gateway of gateways) expect(await statusOn(gateway, key.secret)).toBe(401);
  });

  it('key revoke on one process ends the stream opened with the key on the other, which misses later appends; the key is refused on all three APIs on both', async () => {
    const account = await createAccount(db.prisma, 'Revoked while streaming');
    await ensureSession(db.prisma, account.accountSid, { sessionId: 'watched' });
    const key = await createApiKey(db.prisma, account.accountSid);
    const credential = { user: key.sid, secret: key.secret };
    for (const gateway of gateways) expect(await statusesOn(gateway.url, credential, 'watched')).toEqual([200, 200, 200]);
    const stream = await subscribe(gateways[1]!.url, key.secret, Watch, { sessionId: 'watched' });
    const revoked = await runCli(['key', 'revoke', key.sid], env);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(await endedWithin(stream.ended, 5000)).toBe('complete');
    for (const gateway of gateways) expect(await untilRefused(gateway.url, credential, 'watched', 5000)).toEqual([401, 401, 401]);
    const append = await fetch(`${gateways[0]!.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${account.authToken}` },
      body: JSON.stringify({ query: 'mutation { appendMessages(sessionId: "watched", messages: [{ messageId: "after", role: USER, text: "hi" }]) { messagesCreated } }' }),
    });
    expect(await append.json()).toEqual({ data: { appendMessages: { messagesCreated: 1 } } });
    expect(stream.pending()).toEqual([]);
  });

  it('account rotate-token: the old token is refused on all three APIs on both processes within 5 s', async () => {
    const account = await createAccount(db.prisma, 'Rotated everywhere');
    await ensureSession(db.prisma, account.accountSid, { sessionId: 'watched' });
    const old = { user: account.accountSid, secret: account.authToken };
    for (const gateway of gateways) expect(await statusesOn(gateway.url, old, 'watched')).toEqual([200, 200, 200]);
    const rotated = await runCli(['account', 'rotate-token', account.accountSid], env);
    expect(rotated.code, rotated.stderr).toBe(0);
    for (const gateway of gateways) expect(await untilRefused(gateway.url, old, 'watched', 5000)).toEqual([401, 401, 401]);
  });
});
