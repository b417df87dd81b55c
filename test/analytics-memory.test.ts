import { mkdtemp, rm } from 'node:fs/promises';
import { get, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createAccount, type AccountCredentials } from '../src/store/accounts.js';
import { ensureSession } from '../src/store/sessions.js';
import { processMemory, startCli, type ServingCli } from './support/cli.js';
import { openTestDatabase, type TestDatabase } from './support/database.js';

// A 100,000-message session through the analytics route, served by a gateway process of its own
// so that its resident memory can be watched while it streams.

const MESSAGES = Number(process.env.MESSAGES ?? 100_000);
let db: TestDatabase;
let dataDir: string | undefined;
let gateway: ServingCli;
let account: AccountCredentials;

beforeAll(async () => {
  const embedded = !process.env.DATABASE_URL;
  if (embedded) dataDir = await mkdtemp(path.join(tmpdir(), 'cg-memory-'));
  db = await openTestDatabase(dataDir);
  account = await createAccount(db.prisma);
  const { session } = await ensureSession(db.prisma, account.accountSid, { sessionId: 'huge' });
  await ensureSession(db.prisma, account.accountSid, { sessionId: 'tiny' });
  // Bulk-load in SQL: every message, and two sources after every tenth (sources and confidence make the rows realistic).
  await db.prisma.$executeRaw`
    INSERT INTO timeline_item ("accountSid", "sessionPk", seq, kind, origin, "messageId", role, text, confidence, meta, "createdAt", "updatedAt")
    SELECT ${account.accountSid}, ${session.id}, n * 3, 'CHAT_MESSAGE', 'ANALYTICS', 'm' || n,
           CASE WHEN n % 2 = 0 THEN 'assistant' ELSE 'user' END, 'message number ' || n || ' with some text to carry',
           CASE WHEN n % 2 = 0 THEN 0.5 END, '{}'::json, timestamp '2025-01-01' + n * interval '1 second', timestamp '2025-01-01' + n * interval '1 second'
    FROM generate_series(1, ${MESSAGES}) AS n`;
  await db.prisma.$executeRaw`
    INSERT INTO timeline_item ("accountSid", "sessionPk", seq, kind, origin, "parentId", "sourceKey", text, url, score, "createdAt", "updatedAt")
    SELECT m."accountSid", m."sessionPk", m.seq + k, 'SOURCE', 'ANALYTICS', m.id, k::text, 'source ' || k, 'https://example.com/' || m.seq, 0.5, m."createdAt", m."createdAt"
    FROM timeline_item m CROSS JOIN generate_series(1, 2) AS k
    WHERE m."sessionPk" = ${session.id} AND m.seq % 30 = 0`;
  // The last message's sources stand after it: the session's last position is the highest of all.
  const { _max } = await db.prisma.timelineItem.aggregate({ where: { sessionPk: session.id }, _max: { seq: true } });
  await db.prisma.session.update({ where: { id: session.id }, data: { lastSeq: _max.seq! } });
  const url = db.url;
  if (embedded) await db.close();
  gateway = await startCli({ ...process.env, ...(url ? { DATABASE_URL: url } : { DATA_DIR: dataDir }) });
}, 300_000);

afterAll(async () => {
  await gateway?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
  else await db?.close();
});

it('streams a 100,000-message session with a peak RSS increase under 100 MB', async () => {
  const pid = gateway.child.pid!;
  const headers = { authorization: `Bearer ${account.authToken}` };
  // Warm up: the first request compiles and caches what every later one reuses.
  expect(await (await fetch(`${gateway.url}/api/v1/conversations/tiny/messages`, { headers })).json()).toEqual([]);
  const baseline = processMemory(pid, 'VmRSS');
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, processMemory(pid, 'VmRSS'))), 10);

  const response = await fetch(`${gateway.url}/api/v1/conversations/huge/messages`, { headers });
  const body = await response.text();
  clearInterval(sampler);

  expect(response.status).toBe(200);
  const messages = JSON.parse(body) as { id: string; metadata?: { sources?: object } }[];
  expect(messages).toHaveLength(MESSAGES);
  expect(messages.map((message) => message.id).slice(0, 3)).toEqual(['m1', 'm2', 'm3']);
  expect(messages.at(-1)!.id).toBe(`m${MESSAGES}`);
  expect(Object.keys(messages[9]!.metadata!.sources!)).toEqual(['1', '2']);
  const increase = peak - baseline;
  console.log(`analytics route: ${(body.length / 1e6).toFixed(1)} MB streamed, peak RSS +${(increase / 2 ** 20).toFixed(1)} MiB`);
  expect(increase).toBeLessThan(100 * 2 ** 20);
});

it("sends the array's first bytes before it reads the session's last page: a message appended once the head has arrived is in it", async () => {
  const headers = { authorization: `Bearer ${account.authToken}` };
  // node:http stops reading the socket while the response is not consumed, so the gateway, held
  // back by the client, is still short of the session's end when the message is appended.
  const response = await new Promise<IncomingMessage>((resolve, reject) =>
    get(`${gateway.url}/api/v1/conversations/huge/messages`, { headers }, resolve).on('error', reject),
  );
  expect(response.statusCode).toBe(200);
  const appended = await fetch(`${gateway.url}/graphql`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify({ query: 'mutation { appendMessages(sessionId: "huge", messages: [{ messageId: "after-the-head", role: USER, text: "late" }]) { messagesCreated } }' }),
  });
  expect(await appended.json()).toEqual({ data: { appendMessages: { messagesCreated: 1 } } });
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  const messages = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { id: string; content: string }[];
  expect(messages).toHaveLength(MESSAGES + 1);
  expect(messages.at(-1)).toMatchObject({ id: 'after-the-head', content: 'late' });
});
