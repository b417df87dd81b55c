import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount, type AccountCredentials } from '../src/store/accounts.js';
import { createApiKey } from '../src/store/api-keys.js';
import { ensureSession } from '../src/store/sessions.js';
import { graphql as gql } from './documents/index.js';
import { runCli, startCli, type ServingCli } from './support/cli.js';
import { openTestDatabase, type TestDatabase } from './support/database.js';
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
    env = { ...process.env, DATABASE_URL: db.url, REDIS_URL: redisUrl };
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

  it('account rotate-token with Redis unreachable: the new token is printed, a warning says the gateways learn of it within 30 s', async () => {
    const account = await createAccount(db.prisma, 'Offline');
    const rotated = await runCli(['account', 'rotate-token', account.accountSid], { ...env, REDIS_URL: 'redis://127.0.0.1:1' });
    expect(rotated.code).toBe(0);
    expect(JSON.parse(rotated.stdout)).toMatchObject({ accountSid: account.accountSid, authToken: expect.any(String) });
    expect(rotated.stderr).toMatch(/^conversation-gateway: warning: running gateways could not be told through Redis .*within 30 s/);
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
});
