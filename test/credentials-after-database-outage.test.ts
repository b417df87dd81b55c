import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '../src/store/accounts.js';
import { createApiKey } from '../src/store/api-keys.js';
import { openDatabase, type Database } from '../src/store/database.js';
import { ensureSession } from '../src/store/sessions.js';
import { graphql as gql } from './documents/index.js';
import { runCli, startCli, type ServingCli } from './support/cli.js';
import { endedWithin, statusesOn, untilRefused } from './support/credentials.js';
import { privatePostgresMissing, startPrivatePostgres, type PrivateService } from './support/private-services.js';
import { subscribe } from './support/subscription.js';

const Watch = gql(`subscription WatchAfterOutage($sessionId: ID!) { messageAdded(sessionId: $sessionId) { cursor } }`);

/** Waits for a line of the gateway's output, at most `withinMs`. */
async function untilOutput(gateway: ServingCli, text: string, withinMs = 60_000): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!gateway.output().includes(text)) {
    if (Date.now() > deadline) throw new Error(`no "${text}" in the output:\n${gateway.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

// The gateway hears of credential changes on a database session of its own. A PostgreSQL of the
// test's own is stopped and started under it: the session is opened again, and a key revoked
// afterwards still ends its stream and is refused at once (the periodic check is set far beyond the test).
describe.skipIf(privatePostgresMissing)(`credential changes after a database outage${privatePostgresMissing ? ` (skipped: ${privatePostgresMissing})` : ''}`, () => {
  let postgres: PrivateService;
  let database: Database;
  let env: NodeJS.ProcessEnv;
  let gateway: ServingCli;

  beforeAll(async () => {
    postgres = await startPrivatePostgres();
    env = { ...process.env, DATABASE_URL: postgres.url, REDIS_URL: '', NODE_ENV: 'production', LOG_FORMAT: 'json', CREDENTIAL_CHECK_MS: '600000' };
    gateway = await startCli(env);
  });

  afterAll(async () => {
    await gateway?.stop();
    await database?.close();
    await postgres?.close();
  });

  it('the listening session comes back by itself, saying so in the log, and a key revoked then ends its stream', async () => {
    await postgres.stop();
    await untilOutput(gateway, 'credential changes: the database session is lost');
    await postgres.start();
    await untilOutput(gateway, 'credential changes: the database session is back');
    // The test's own connections are opened after the outage: a pooled one lost to it would end the test process.
    database = await openDatabase({ url: postgres.url });

    const account = await createAccount(database.prisma, 'After the outage');
    await ensureSession(database.prisma, account.accountSid, { sessionId: 'watched' });
    const key = await createApiKey(database.prisma, account.accountSid);
    const credential = { user: key.sid, secret: key.secret };
    expect(await statusesOn(gateway.url, credential, 'watched')).toEqual([200, 200, 200]);
    const stream = await subscribe(gateway.url, key.secret, Watch, { sessionId: 'watched' });
    expect(await runCli(['key', 'revoke', key.sid], env)).toMatchObject({ code: 0 });
    expect(await endedWithin(stream.ended, 5000)).toBe('complete');
    expect(await untilRefused(gateway.url, credential, 'watched', 5000)).toEqual([401, 401, 401]);
    expect(gateway.child.exitCode).toBeNull();
  });
});
