import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionDeleted } from '../src/live/message-events.js';
import { createAccount } from '../src/store/accounts.js';
import { appendMessages } from '../src/store/append.js';
import { deleteExpiredSessions, deleteSessions, eraseIdentity } from '../src/store/erasure.js';
import { inTransaction } from '../src/store/transaction.js';
import { Prisma } from '../src/store/generated/prisma/client.js';
import type { PrismaClient } from '../src/store/database.js';
import { until } from './support/cli.js';
import { openTestDatabase, type TestDatabase } from './support/database.js';
import { messagesSaying, seededSession, summaryDrift, whereStored } from './support/erasure.js';
import { rowsRead } from './support/plans.js';

// The store's erasure primitive on its own: what it deletes, counts, records and announces.

let db: TestDatabase;
beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(() => db.close());

function recorder() {
  const published: SessionDeleted[] = [];
  return { published, events: { published: (event: SessionDeleted) => void published.push(event) } };
}

describe('deleteSessions', () => {
  it('deletes the sessions with every item and source, records the counts only, and announces each after commit', async () => {
    const { accountSid } = await createAccount(db.prisma);
    const other = await createAccount(db.prisma);
    const gone = await seededSession(db.prisma, accountSid, 'voice:CAgone1', 'zanzibar', 20);
    const alsoGone = await seededSession(db.prisma, accountSid, 'voice:CAgone2', 'quixotic', 7);
    const kept = await seededSession(db.prisma, accountSid, 'voice:CAkept', 'kept', 9);
    // Another account's session of the same id, and its row id passed in by mistake: neither is touched.
    const foreign = await seededSession(db.prisma, other.accountSid, 'voice:CAgone1', 'foreignword', 5);
    const { published, events } = recorder();

    const erased = await deleteSessions(db.prisma, accountSid, [gone.id, alsoGone.id, foreign.id], { credential: 'SKtest', events });

    // generatedMessages(20) is 12 messages and 8 sources; (7) is 4 and 3.
    expect(erased).toMatchObject({ sessions: 2, messages: 16, sources: 11 });
    expect(erased.deletedSessions.map((session) => session.sessionId)).toEqual(['voice:CAgone1', 'voice:CAgone2']);
    for (const value of ['voice:CAgone2', 'CAgone2-name', 'zanzibar', 'quixotic']) expect(await whereStored(db.prisma, value)).toEqual([]);
    expect(published).toEqual([
      { accountSid, sessionPk: String(gone.id), deleted: true },
      { accountSid, sessionPk: String(alsoGone.id), deleted: true },
    ]);
    const records = await db.prisma.erasure.findMany({ where: { accountSid } });
    expect(records.map(({ credential, kind, sessions, messages, sources }) => ({ credential, kind, sessions, messages, sources }))).toEqual([
      { credential: 'SKtest', kind: 'SESSION', sessions: 2, messages: 16, sources: 11 },
    ]);
    expect(await db.prisma.timelineItem.count({ where: { sessionPk: kept.id } })).toBe(9);
    expect(await db.prisma.timelineItem.count({ where: { sessionPk: foreign.id } })).toBe(5);
    expect(await db.prisma.erasure.count({ where: { accountSid: other.accountSid } })).toBe(0);
  });

  it('passes over ids already deleted', async () => {
    const { accountSid } = await createAccount(db.prisma);
    const old = await seededSession(db.prisma, accountSid, 'old', 'ancient', 3);
    await deleteSessions(db.prisma, accountSid, [old.id], { credential: 'command-line' });
    const again = await deleteSessions(db.prisma, accountSid, [old.id], { credential: 'command-line' });
    expect(again).toEqual({ sessions: 0, messages: 0, sources: 0, deletedSessions: [] });
    const records = await db.prisma.erasure.findMany({ where: { accountSid }, orderBy: { id: 'asc' } });
    expect(records.map(({ kind, sessions, messages, sources }) => [kind, sessions, messages, sources])).toEqual([
      ['SESSION', 1, 3, 0],
      ['SESSION', 0, 0, 0],
    ]);
  });
  it('a dry run counts the same and changes nothing', async () => {
    const { accountSid } = await createAccount(db.prisma);
    const session = await seededSession(db.prisma, accountSid, 'dry', 'parched', 10);
    const { published, events } = recorder();
    const preview = await deleteSessions(db.prisma, accountSid, [session.id], { credential: 'command-line', events, dryRun: true });
    expect(preview).toMatchObject({ sessions: 1, messages: 7, sources: 3 });
    expect(published).toEqual([]);
    expect(await db.prisma.timelineItem.count({ where: { sessionPk: session.id } })).toBe(10);
    expect(await db.prisma.erasure.count({ where: { accountSid } })).toBe(0);
    expect(await deleteSessions(db.prisma, accountSid, [session.id], { credential: 'command-line' })).toEqual(preview);
  });
});

describe('deleteExpiredSessions', () => {
  /** Makes a session last active `days` ago. */
  const ageBy = (sessionPk: bigint, days: number) =>
    db.prisma.$executeRaw`UPDATE session SET "createdAt" = now() - make_interval(days => ${days + 1}::int), "lastMessageAt" = now() - make_interval(days => ${days}::int) WHERE id = ${sessionPk}`;

  it('deletes the sessions last active before the retention, oldest first within the batch, and records a RETENTION erasure', async () => {
    const { accountSid } = await createAccount(db.prisma);
    const sessions = [];
    for (const [name, days] of [['older', 50], ['old', 40], ['recent', 10]] as const) {
      const session = await seededSession(db.prisma, accountSid, name, 'ancient', 3);
      await ageBy(session.id, days);
      sessions.push(session);
    }
    const first = await deleteExpiredSessions(db.prisma, accountSid, 30, 1, { credential: 'retention-sweep' });
    const second = await deleteExpiredSessions(db.prisma, accountSid, 30, 1, { credential: 'retention-sweep' });
    const third = await deleteExpiredSessions(db.prisma, accountSid, 30, 1, { credential: 'retention-sweep' });
    expect([first, second, third].map((erased) => erased.deletedSessions.map((session) => session.sessionId))).toEqual([['older'], ['old'], []]);
    const records = await db.prisma.erasure.findMany({ where: { accountSid }, orderBy: { id: 'asc' } });
    // The batch that found nothing expired is no erasure.
    expect(records.map(({ kind, credential, sessions }) => [kind, credential, sessions])).toEqual([
      ['RETENTION', 'retention-sweep', 1],
      ['RETENTION', 'retention-sweep', 1],
    ]);
    expect(await db.prisma.session.count({ where: { accountSid } })).toBe(1);
  });

  // Two connections at once: an embedded database has one.
  it.skipIf(!process.env.DATABASE_URL)('keeps a session that an append is bringing back to life, and waits for no lock', async () => {
    const { accountSid } = await createAccount(db.prisma);
    const revived = await seededSession(db.prisma, accountSid, 'revived', 'ancient', 2);
    const stale = await seededSession(db.prisma, accountSid, 'stale', 'ancient', 2);
    await ageBy(revived.id, 40);
    await ageBy(stale.id, 40);
    // The test plays an append under way: it holds the session's row lock, as an append does, and commits a new last message.
    const append = new pg.Client({ connectionString: db.url });
    await append.connect();
    try {
      await append.query('BEGIN');
      await append.query('SELECT 1 FROM session WHERE id = $1 FOR UPDATE', [String(revived.id)]);
      let done = false;
      const sweep = deleteExpiredSessions(db.prisma, accountSid, 30, 500, { credential: 'retention-sweep' }).finally(() => (done = true));
      // The sweep either finishes or waits for the lock; either way the append commits then.
      await until(async () => {
        const [{ waiting }] = await db.prisma.$queryRaw<[{ waiting: number }]>`
          SELECT count(*)::int AS waiting FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%FOR UPDATE%'`;
        return done || waiting > 0;
      }, 'the sweep to finish or wait for the session');
      await append.query('UPDATE session SET "lastMessageAt" = now() WHERE id = $1', [String(revived.id)]);
      await append.query('COMMIT');
      expect((await sweep).deletedSessions.map((session) => session.sessionId)).toEqual(['stale']);
    } finally {
      await append.end();
    }
    expect(await db.prisma.session.findMany({ where: { accountSid }, select: { sessionId: true } })).toEqual([{ sessionId: 'revived' }]);
    // Now active, it is no longer expired.
    expect((await deleteExpiredSessions(db.prisma, accountSid, 30, 500, { credential: 'retention-sweep' })).sessions).toBe(0);
  });
});

describe('eraseIdentity', () => {
  it("deletes the person's sessions and their items elsewhere, and counts the other sessions' summaries again", async () => {
    const { accountSid } = await createAccount(db.prisma);
    const own = await seededSession(db.prisma, accountSid, 'own', 'mine', 6, 'user:erin');
    const shared = await seededSession(db.prisma, accountSid, 'shared', 'theirs', 8, 'user:sam');
    // Erin's messages (with their sources and confidences) in Sam's session, between Sam's.
    await appendMessages(db.prisma, shared, messagesSaying('erinsaid', 'shared-erin', 8, 'user:erin'));
    await appendMessages(db.prisma, shared, messagesSaying('samagain', 'shared-sam', 4, 'user:sam'));
    const other = await createAccount(db.prisma);
    const elsewhere = await seededSession(db.prisma, other.accountSid, 'own', 'mine', 6, 'user:erin');
    const { published, events } = recorder();

    const erased = await eraseIdentity(db.prisma, accountSid, 'user:erin', { credential: 'auth-token', events });

    // Erin's own session: 4 messages and 2 sources; hers in Sam's: 5 and 3.
    expect(erased).toMatchObject({ sessions: 1, messages: 4 + 5, sources: 2 + 3 });
    expect(published).toEqual([{ accountSid, sessionPk: String(own.id), deleted: true }]);
    expect(await db.prisma.timelineItem.count({ where: { sessionPk: shared.id } })).toBe(12);
    expect(await summaryDrift(db.prisma, accountSid)).toEqual([]);
    const survivor = await db.prisma.session.findUniqueOrThrow({ where: { id: shared.id } });
    expect(survivor).toMatchObject({ itemCount: 12, messageCount: 4, sourceCount: 4 });
    expect(await whereStored(db.prisma, 'erinsaid')).toEqual([]);
    expect(await db.prisma.timelineItem.count({ where: { accountSid, identity: 'user:erin' } })).toBe(0);
    expect(await db.prisma.timelineItem.count({ where: { sessionPk: elsewhere.id } })).toBe(6);
    const [record] = await db.prisma.erasure.findMany({ where: { accountSid } });
    expect(record).toMatchObject({ credential: 'auth-token', kind: 'IDENTITY', sessions: 1, messages: 9, sources: 5 });
  });
});

describe('eraseIdentity reading', () => {
  /** The raw statements a store function sends inside its transactions, with their values. */
  function recordingTransactions(prisma: PrismaClient, recorded: Prisma.Sql[]): PrismaClient {
    const recordingRaw = (tx: Prisma.TransactionClient) =>
      new Proxy(tx, {
        get: (target, property) =>
          property === '$queryRaw' || property === '$executeRaw'
            ? (strings: TemplateStringsArray, ...values: unknown[]) => {
                recorded.push(Prisma.sql(strings, ...values));
                return Reflect.get(target, property, target).call(target, strings, ...values);
              }
            : Reflect.get(target, property, target),
      });
    return new Proxy(prisma, {
      get: (target, property) =>
        property === '$transaction'
          ? (work: (tx: Prisma.TransactionClient) => Promise<unknown>, options: unknown) => target.$transaction((tx) => work(recordingRaw(tx)), options as never)
          : Reflect.get(target, property, target),
    }) as PrismaClient;
  }

  /** The rows of `table` each statement of erasing `identity` that names it reads (a dry run, so nothing changes). */
  async function rowsReadErasing(accountSid: string, identity: string, table: 'timeline_item' | 'session'): Promise<number[]> {
    const recorded: Prisma.Sql[] = [];
    await eraseIdentity(recordingTransactions(db.prisma, recorded), accountSid, identity, { credential: 'auth-token', dryRun: true });
    const reading = recorded.filter((statement) => statement.text.includes(table));
    expect(reading.length).toBeGreaterThan(0);
    // One after another, as the erasure runs them: two at once could deadlock on the rows they lock.
    const rows: number[] = [];
    for (const statement of reading) rows.push(await rowsRead(db.prisma, statement, table));
    return rows;
  }

  it("reads the person's items and sessions, not every item or session of the account", async () => {
    const { accountSid } = await createAccount(db.prisma);
    await seededSession(db.prisma, accountSid, 'own', 'mine', 6, 'user:erin');
    const shared = await seededSession(db.prisma, accountSid, 'shared', 'theirs', 8, 'user:sam');
    await appendMessages(db.prisma, shared, messagesSaying('erinsaid', 'shared-erin', 8, 'user:erin'));
    const before = await rowsReadErasing(accountSid, 'user:erin', 'timeline_item');
    const sessionsBefore = await rowsReadErasing(accountSid, 'user:erin', 'session');

    // The account grows by other people's items and sessions: an erasure of Erin reads no more than before.
    for (let n = 0; n < 5; n++) await seededSession(db.prisma, accountSid, `other-${n}`, 'others', 40, `user:other-${n}`);
    await seededSession(db.prisma, accountSid, 'anonymous', 'nobody', 40);
    const after = await rowsReadErasing(accountSid, 'user:erin', 'timeline_item');
    expect(after).toEqual(before);
    const accountItems = await db.prisma.timelineItem.count({ where: { accountSid } });
    for (const rows of after) expect(rows).toBeLessThan(accountItems / 5);
    expect(await rowsReadErasing(accountSid, 'user:erin', 'session')).toEqual(sessionsBefore);
  });
});

describe.skipIf(!process.env.DATABASE_URL)('an append racing a deletion (PostgreSQL: transactions side by side)', () => {
  it('an append that holds the lock first commits, and its items go with the session', async () => {
    const { accountSid } = await createAccount(db.prisma);
    const session = await seededSession(db.prisma, accountSid, 'race-first', 'early', 3);
    let letGo = () => {};
    const held = new Promise<void>((resolve) => (letGo = resolve));
    const append = inTransaction(db.prisma, async (transaction) => {
      await appendMessages(transaction, session, messagesSaying('late', 'race-late', 4, null));
      await held;
    });
    await waitingOnLocks(0);
    const deletion = deleteSessions(db.prisma, accountSid, [session.id], { credential: 'SKrace' });
    await waitingOnLocks(1);
    letGo();
    await append;
    expect(await deletion).toMatchObject({ sessions: 1, messages: 6, sources: 1 });
    expect(await db.prisma.timelineItem.count({ where: { sessionPk: session.id } })).toBe(0);
  });

  it('an append queued behind a deletion is refused as not found and writes nothing', async () => {
    const { accountSid } = await createAccount(db.prisma);
    const session = await seededSession(db.prisma, accountSid, 'race-second', 'early', 3);
    let letGo = () => {};
    const held = new Promise<void>((resolve) => (letGo = resolve));
    // A writer holding the session's lock, so the deletion and then the append queue behind it, in that order.
    const holder = inTransaction(db.prisma, async ({ client }) => {
      await client.$queryRaw`SELECT id FROM session WHERE id = ${session.id} FOR UPDATE`;
      await held;
    });
    await waitingOnLocks(0);
    const deletion = deleteSessions(db.prisma, accountSid, [session.id], { credential: 'SKrace' });
    await waitingOnLocks(1);
    const append = appendMessages(db.prisma, session, messagesSaying('resurrected', 'race-resurrect', 4, null)).then(
      () => null,
      (error: Error) => error,
    );
    await waitingOnLocks(2);
    letGo();
    await holder;
    expect(await deletion).toMatchObject({ sessions: 1, messages: 3, sources: 0 });
    expect(await append).toMatchObject({ code: 'not_found' });
    expect(await db.prisma.session.count({ where: { id: session.id } })).toBe(0);
    expect(await db.prisma.timelineItem.count({ where: { sessionPk: session.id } })).toBe(0);
    expect(await whereStored(db.prisma, 'resurrected')).toEqual([]);
  });
});

/** Until exactly `count` statements of this database wait for a lock. */
async function waitingOnLocks(count: number): Promise<void> {
  for (;;) {
    const [{ waiting }] = await db.prisma.$queryRaw<[{ waiting: number }]>`
      SELECT count(*)::int AS waiting FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`;
    if (waiting === count) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
