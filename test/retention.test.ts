import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importMessages } from '../src/import/importer.js';
import { createAccount, type AccountCredentials } from '../src/store/accounts.js';
import { openDatabase, type PrismaClient } from '../src/store/database.js';
import { RETENTION_SWEEP_LOCK } from '../src/store/retention.js';
import { ensureSession } from '../src/store/sessions.js';
import { loggedLines, runCli, startCli, until, type ServingCli } from './support/cli.js';
import { openTestDatabase, type TestDatabase } from './support/database.js';
import { basicAuth, send } from './support/http.js';
import { parsePrometheusText } from './support/prometheus.js';

// Retention as an operator meets it: `account set-retention` on the command line, then a gateway
// process (on the suite's database: a throwaway PostgreSQL database, or an embedded one in a
// directory) that sweeps every second and says what it did in /metrics and its log.

const DAY = 86_400_000;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY);

let dir: string;
let env: NodeJS.ProcessEnv;
/** PostgreSQL only: the test's own client of the database the gateways use. */
let postgres: TestDatabase | undefined;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'cg-retention-'));
  const { DATABASE_URL: _unused, ...rest } = process.env;
  postgres = process.env.DATABASE_URL ? await openTestDatabase() : undefined;
  // The embedded database is migrated here, once, and closed: the commands and gateways open it themselves.
  if (!postgres) await (await openTestDatabase(path.join(dir, 'data'))).close();
  env = postgres ? { ...rest, DATABASE_URL: postgres.url } : { ...rest, DATA_DIR: path.join(dir, 'data') };
  env = { ...env, LOG_FORMAT: 'json', RETENTION_SWEEP_INTERVAL_SECONDS: '1' };
});

afterAll(async () => {
  await postgres?.close();
  await rm(dir, { recursive: true, force: true });
});

/** Works on the suite's database in this process: PostgreSQL stays open, the embedded database is opened and closed again (a gateway process needs it). */
async function onDatabase<T>(work: (prisma: PrismaClient) => Promise<T>): Promise<T> {
  if (postgres) return work(postgres.prisma);
  const database = await openDatabase({ dataDir: env.DATA_DIR });
  try {
    return await work(database.prisma);
  } finally {
    await database.close();
  }
}

/** A Twilio page of `count` messages in one session, a minute apart, the last sent `lastDaysAgo` days ago. */
function twilioPage(sessionId: string, count: number, last: Date, first = new Date(last.getTime() - (count - 1) * 60_000)): string {
  const step = count > 1 ? (last.getTime() - first.getTime()) / (count - 1) : 0;
  const messages = Array.from({ length: count }, (_, n) => {
    const at = new Date(first.getTime() + n * step).toISOString().replace(/\.\d{3}Z$/, 'Z');
    return {
      id: `aia_msg_${sessionId}_${n}`,
      account_sid: `AC${'0'.repeat(32)}`,
      assistant_id: 'aia_asst_retention',
      session_id: sessionId,
      identity: 'user:retention',
      role: n % 2 ? 'assistant' : 'user',
      content: { text: `message ${n} of ${sessionId}` },
      meta: {},
      date_created: at,
      date_updated: at,
    };
  });
  return JSON.stringify({ messages, meta: { key: 'messages' } });
}

/** An analytics array of two messages, the second with two sources, the last sent at `last`. */
function analyticsArray(last: Date): string {
  const first = new Date(last.getTime() - 1000);
  const sources = { '1': { text: 'the fee policy', url: 'https://example.com/fees', score: 0.9 }, '2': { text: 'the refund policy', url: null, score: 0.5 } };
  return JSON.stringify([
    { id: 'a-1', role: 'user', content: 'why a fee?', timestamp: first.toISOString() },
    { id: 'a-2', role: 'assistant', content: 'because', timestamp: last.toISOString(), metadata: { sources } },
  ]);
}

/**
 * The same sessions in an account, around a 30-day retention: expired are the one whose last
 * message is 40 days old, the analytics one 31 days old (2 messages, 2 sources) and the empty one
 * created 45 days ago (3 sessions, 5 messages, 2 sources); kept are one 29 days old, one a day
 * old, one whose first message is 100 days old but its last 2 days old, and an empty one created now.
 */
async function importSessions(prisma: PrismaClient, accountSid: string): Promise<void> {
  const twilio = (text: string) => importMessages(prisma, Readable.from([text]), 'sessions', { accountSid, format: 'twilio' });
  await twilio(twilioPage('old', 3, daysAgo(40)));
  await importMessages(prisma, Readable.from([analyticsArray(daysAgo(31))]), 'analytics', { accountSid, format: 'analytics', sessionId: 'old-analytics' });
  await twilio(twilioPage('almost', 2, daysAgo(29)));
  await twilio(twilioPage('recent', 2, daysAgo(1)));
  await twilio(twilioPage('long-running', 3, daysAgo(2), daysAgo(100)));
  await ensureSession(prisma, accountSid, { sessionId: 'empty-old', createdAt: daysAgo(45) });
  await ensureSession(prisma, accountSid, { sessionId: 'empty-new' });
}
const EXPIRED = { sessions: 3, messages: 5, sources: 2 };
const ALL = ['almost', 'empty-new', 'empty-old', 'long-running', 'old', 'old-analytics', 'recent'];
const KEPT = ['almost', 'empty-new', 'long-running', 'recent'];

/** The account's session ids, as its Twilio API lists them. */
async function sessionIds(gateway: ServingCli, account: AccountCredentials): Promise<string[]> {
  const { status, json } = await send(gateway.url, '/v1/Sessions?PageSize=100', { headers: { authorization: basicAuth(account.accountSid, account.authToken) } });
  expect(status).toBe(200);
  return (json.sessions as { id: string }[]).map((session) => session.id).sort();
}

/** The gateway's retention metrics, by series (the process's own metrics may read "Nan" just after start, which is no Prometheus number). */
async function metrics(gateway: ServingCli): Promise<Map<string, number>> {
  const lines = (await send(gateway.url, '/metrics')).text.split('\n').filter((line) => line.includes('gateway_retention_'));
  return parsePrometheusText(`${lines.join('\n')}\n`);
}

const sweeps = (samples: Map<string, number>, outcome: string) => samples.get(`gateway_retention_sweeps_total{outcome="${outcome}"}`) ?? 0;
const deleted = (samples: Map<string, number>) => ({
  sessions: samples.get('gateway_retention_deleted_sessions_total'),
  messages: samples.get('gateway_retention_deleted_messages_total'),
  sources: samples.get('gateway_retention_deleted_sources_total'),
});

/** Two accounts holding the same sessions; retention set on the first only, with the CLI. */
async function twoAccounts(): Promise<[AccountCredentials, AccountCredentials]> {
  const accounts = await onDatabase(async (prisma) => {
    const both = [await createAccount(prisma, 'Expiring'), await createAccount(prisma, 'Keeping')] as const;
    for (const account of both) await importSessions(prisma, account.accountSid);
    return both;
  });
  expect(await runCli(['account', 'set-retention', accounts[0].accountSid, '--days', '30'], env)).toMatchObject({
    code: 0,
    stdout: `${JSON.stringify({ accountSid: accounts[0].accountSid, retentionDays: 30 })}\n`,
  });
  return [...accounts];
}

describe('account set-retention', () => {
  it('sets, shows and turns off an account retention', async () => {
    const { accountSid } = await onDatabase((prisma) => createAccount(prisma, 'Retained'));
    expect(await runCli(['account', 'set-retention', accountSid, '--days', '90'], env)).toMatchObject({ code: 0, stdout: `{"accountSid":"${accountSid}","retentionDays":90}\n` });
    const listed = await runCli(['account', 'list'], env);
    expect(listed.stdout.split('\n')[0]).toMatch(/ API KEYS +RETENTION$/);
    expect(listed.stdout).toMatch(new RegExp(`^${accountSid} +Retained +\\S+ +- +0 +90 days$`, 'm'));
    expect(await runCli(['account', 'set-retention', accountSid, '--off'], env)).toMatchObject({ code: 0, stdout: `{"accountSid":"${accountSid}","retentionDays":null}\n` });
    const json = (await runCli(['account', 'list', '--json'], env)).stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line));
    expect(json.find((account) => account.accountSid === accountSid)).toMatchObject({ name: 'Retained', retentionDays: null });
  });

  it.each([
    [['--days', '0'], '--days is a whole number of days from 1 to 36500, not "0"'],
    [['--days', '36501'], '--days is a whole number of days from 1 to 36500, not "36501"'],
    [['--days', '30d'], '--days is a whole number of days from 1 to 36500, not "30d"'],
    [['--days', '30', '--off'], 'Give either --days N (keep sessions N days after their last message) or --off (keep them for ever)'],
    [[], 'Give either --days N (keep sessions N days after their last message) or --off (keep them for ever)'],
  ])('%j is a usage mistake: one line, the usage, exit code 2', async (options, message) => {
    const result = await runCli(['account', 'set-retention', `AC${'1'.repeat(32)}`, ...options], env);
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n')[0]).toBe(`conversation-gateway: ${message}`);
    expect(result.stderr).toContain('account set-retention AC… --days N | --off');
  });

  it('an account that does not exist: one line, exit code 1', async () => {
    expect(await runCli(['account', 'set-retention', `AC${'2'.repeat(32)}`, '--days', '7'], env)).toMatchObject({
      code: 1,
      stderr: `conversation-gateway: No account AC${'2'.repeat(32)}; "conversation-gateway account list" shows the accounts\n`,
    });
  });
});

describe('the retention sweep', () => {
  it("deletes exactly the expired sessions of the account with a retention, counts them in /metrics and logs each round; the other account's stay", async () => {
    const [expiring, keeping] = await twoAccounts();
    const gateway = await startCli(env);
    try {
      await until(async () => sweeps(await metrics(gateway), 'swept') >= 2, 'two sweeps');
      expect(await sessionIds(gateway, expiring)).toEqual(KEPT);
      expect(await sessionIds(gateway, keeping)).toEqual(ALL);
      const samples = await metrics(gateway);
      expect(deleted(samples)).toEqual(EXPIRED);
      expect(sweeps(samples, 'failed')).toBe(0);
      expect(sweeps(samples, 'skipped')).toBe(0);
      const [first, second] = loggedLines(gateway, 'retention sweep');
      expect(first).toMatchObject({ level: 30, batches: 1, ...EXPIRED });
      expect(second).toMatchObject({ batches: 0, sessions: 0, messages: 0, sources: 0 });
      expect(Date.parse(first!.endedAt)).toBeGreaterThanOrEqual(Date.parse(first!.startedAt));
    } finally {
      expect(await gateway.stop()).toBe(0);
    }
    expect(gateway.output()).toContain('conversation-gateway stopped');
    expect(gateway.output()).not.toContain('retention sweep failed');
    // One erasure record, of the sweep's one batch, counting what went and naming none of it.
    const records = await onDatabase((prisma) => prisma.erasure.findMany({ where: { accountSid: { in: [expiring.accountSid, keeping.accountSid] } } }));
    expect(records).toEqual([expect.objectContaining({ accountSid: expiring.accountSid, kind: 'RETENTION', credential: 'retention-sweep', ...EXPIRED })]);
  });
});

describe.skipIf(!process.env.DATABASE_URL)('one gateway sweeps at a time (PostgreSQL: an embedded database belongs to one process)', () => {
  it('while another session holds the sweep lock no gateway sweeps, each round is counted as skipped; once it is released the sweep happens', async () => {
    const [expiring] = await twoAccounts();
    const holder = new pg.Client({ connectionString: postgres!.url });
    await holder.connect();
    try {
      await holder.query('SELECT pg_advisory_lock($1)', [RETENTION_SWEEP_LOCK.toString()]);
      const gateway = await startCli(env);
      try {
        await until(async () => sweeps(await metrics(gateway), 'skipped') >= 3, 'three skipped rounds');
        expect(sweeps(await metrics(gateway), 'swept')).toBe(0);
        expect(deleted(await metrics(gateway))).toEqual({ sessions: 0, messages: 0, sources: 0 });
        expect(await sessionIds(gateway, expiring)).toEqual(ALL);
        expect(loggedLines(gateway, 'retention sweep skipped')[0]).toMatchObject({ reason: 'another gateway is sweeping' });

        await holder.query('SELECT pg_advisory_unlock($1)', [RETENTION_SWEEP_LOCK.toString()]);
        await until(async () => sweeps(await metrics(gateway), 'swept') >= 1, 'a sweep once the lock is free');
        expect(await sessionIds(gateway, expiring)).toEqual(KEPT);
        expect(deleted(await metrics(gateway))).toEqual(EXPIRED);
      } finally {
        await gateway.stop();
      }
    } finally {
      await holder.end();
    }
  });

  it('two gateways on one database never sweep at once: their rounds do not overlap, and together they delete each expired session once', async () => {
    // Enough for several batches: empty sessions created 10 days ago, written at once.
    const expired = 1600;
    const account = await createAccount(postgres!.prisma, 'Many');
    const createdAt = daysAgo(10);
    await postgres!.prisma.session.createMany({ data: Array.from({ length: expired }, (_, n) => ({ accountSid: account.accountSid, sessionId: `s${n}`, createdAt, updatedAt: createdAt })) });
    await postgres!.prisma.account.update({ where: { sid: account.accountSid }, data: { retentionDays: 7 } });
    const gateways = await Promise.all([startCli(env), startCli(env)]);
    try {
      await until(async () => (await sessionIds(gateways[0], account)).length === 0, 'every expired session gone');
      // A few more rounds each, so that each has met the other's.
      await until(async () => (await Promise.all(gateways.map(metrics))).every((samples) => sweeps(samples, 'swept') + sweeps(samples, 'skipped') >= 4), 'four rounds each');
      const samples = await Promise.all(gateways.map(metrics));
      expect(samples.reduce((sum, each) => sum + deleted(each).sessions!, 0)).toBe(expired);
      const rounds = gateways
        .flatMap((gateway, n) => loggedLines(gateway, 'retention sweep').map((line) => ({ gateway: n, start: Date.parse(line.startedAt), end: Date.parse(line.endedAt), sessions: line.sessions as number })))
        .sort((a, b) => a.start - b.start || a.end - b.end);
      expect(rounds.reduce((sum, round) => sum + round.sessions, 0)).toBe(expired);
      for (let n = 1; n < rounds.length; n++) expect(rounds[n]!.start, JSON.stringify(rounds.slice(n - 1, n + 1))).toBeGreaterThanOrEqual(rounds[n - 1]!.end);
    } finally {
      await Promise.all(gateways.map((gateway) => gateway.stop()));
    }
  }, 300_000);
});
