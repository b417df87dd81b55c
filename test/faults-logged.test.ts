import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createAccount } from '../src/store/accounts.js';
import { startCli, type ServingCli } from './support/cli.js';
import { openTestDatabase, type TestDatabase } from './support/database.js';
import { basicAuth, send } from './support/http.js';
import { createTimeline } from './support/timeline.js';

// A fault of ours (here a schema a botched manual change broke under the gateway) is answered as an
// internal error, and reported to the operator as one line of the JSON log, stack included: not as
// text on standard error that a log collector would split into lines of their own.

let db: TestDatabase;
let dataDir: string | undefined;
let gateway: ServingCli;
let credentials: { accountSid: string; authToken: string };

beforeAll(async () => {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production', LOG_FORMAT: 'json' };
  if (!process.env.DATABASE_URL) {
    dataDir = await mkdtemp(path.join(tmpdir(), 'cg-faults-'));
    env.DATA_DIR = dataDir;
  }
  db = await openTestDatabase(dataDir);
  credentials = await createAccount(db.prisma, 'Faulty');
  await createTimeline(db.prisma, credentials.accountSid, 'broken', 20);
  await db.prisma.$executeRawUnsafe('ALTER TABLE timeline_item RENAME COLUMN "sourceKey" TO "sourceKeyRenamed"');
  if (db.url) env.DATABASE_URL = db.url;
  else await db.close(); // the embedded database belongs to one process: the gateway's now
  gateway = await startCli(env);
});

afterAll(async () => {
  gateway?.child.kill('SIGKILL');
  if (db.url) await db.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

it('answers each surface with its internal error and logs the fault as JSON lines only', async () => {
  const logged = gateway.output().length;
  const twilio = await send(gateway.url, '/v1/Sessions/broken/Messages', { headers: { authorization: basicAuth(credentials.accountSid, credentials.authToken) } });
  expect(twilio.status).toBe(500);
  const analytics = await send(gateway.url, '/api/v1/conversations/broken/messages', { headers: { authorization: `Bearer ${credentials.authToken}` } });
  expect(analytics.status).toBe(500);
  expect(analytics.json).toMatchObject({ status: 'error', error: { code: 'server_error' } });
  const graphql = await send(gateway.url, '/graphql', {
    method: 'POST',
    headers: { authorization: `Bearer ${credentials.authToken}`, 'content-type': 'application/json' },
    // A page reads only the columns its document shows: this one shows the broken column.
    body: JSON.stringify({ query: '{ session(id: "broken") { messages(first: 5) { edges { node { position ... on Source { key } } } } } }' }),
  });
  expect(graphql.json.errors[0]).toMatchObject({ message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
  expect(JSON.stringify(graphql.json)).not.toMatch(/sourceKey/);

  await new Promise((resolve) => setTimeout(resolve, 200));
  const lines = gateway.output().slice(logged).split('\n').filter(Boolean);
  for (const line of lines) expect(() => JSON.parse(line), line).not.toThrow();
  const faults = lines.map((line) => JSON.parse(line) as { level: number; msg: string; err?: { stack?: string } }).filter((line) => line.level === 50);
  expect(faults.length).toBeGreaterThanOrEqual(3);
  for (const fault of faults) {
    expect(fault.msg).toBe('fault');
    expect(fault.err?.stack).toMatch(/sourceKey/);
  }
});
