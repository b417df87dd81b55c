import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '../src/store/accounts.js';
import { appendMessages } from '../src/store/append.js';
import { ensureSession, type Session } from '../src/store/sessions.js';
import { inTransaction } from '../src/store/transaction.js';
import { openTestDatabase, type TestDatabase } from './support/database.js';
import { generatedMessages } from './support/timeline.js';

// A real deadlock on PostgreSQL, through the store's unit of work: two transactions each append to
// two sessions, in opposite orders, and each takes its second session's row lock only once the
// other holds its first. PostgreSQL aborts one of them (40P01); the unit of work runs it again.
// (Embedded PGlite runs transactions one after another, so it cannot deadlock.)

describe.skipIf(!process.env.DATABASE_URL)('a transaction PostgreSQL aborts for a deadlock', () => {
  let db: TestDatabase;
  let first: Session;
  let second: Session;

  beforeAll(async () => {
    db = await openTestDatabase();
    const { accountSid } = await createAccount(db.prisma);
    first = (await ensureSession(db.prisma, accountSid, { sessionId: 'first' })).session;
    second = (await ensureSession(db.prisma, accountSid, { sessionId: 'second' })).session;
  });

  afterAll(async () => {
    await db?.close();
  });

  it('is run again and commits: both writers succeed, positions gap-free', async () => {
    // Resolves once both writers hold their first lock; a retry passes straight through.
    let arrived = 0;
    let bothLocked!: () => void;
    const barrier = new Promise<void>((resolve) => (bothLocked = resolve));
    let runs = 0;
    const writer = (name: string, order: Session[]) =>
      inTransaction(db.prisma, async (transaction) => {
        runs++;
        await appendMessages(transaction, order[0]!, generatedMessages(1, `${name}-a`));
        if (++arrived === 2) bothLocked();
        await barrier;
        await appendMessages(transaction, order[1]!, generatedMessages(1, `${name}-b`));
      });

    const outcomes = await Promise.allSettled([writer('one', [first, second]), writer('two', [second, first])]);

    expect(outcomes.map((outcome) => (outcome.status === 'rejected' ? String(outcome.reason) : outcome.status))).toEqual(['fulfilled', 'fulfilled']);
    // Three runs: both writers once, and the one PostgreSQL aborted once more.
    expect(runs).toBe(3);
    for (const session of [first, second]) {
      const items = await db.prisma.timelineItem.findMany({ where: { sessionPk: session.id }, orderBy: { seq: 'asc' }, select: { seq: true } });
      expect(items.map((item) => item.seq)).toEqual([1, 2]);
    }
  });
});
