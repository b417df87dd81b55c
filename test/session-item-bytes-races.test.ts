import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount, type AccountCredentials } from '../src/store/accounts.js';
import { appendMessages, type NewMessage } from '../src/store/append.js';
import { openDatabase } from '../src/store/database.js';
import { eraseIdentity } from '../src/store/erasure.js';
import { ReadBudget } from '../src/store/read-budget.js';
import { migrationNames } from '../src/store/schema-engine.js';
import { ensureSession, type Session } from '../src/store/sessions.js';
import { loadSessionTimelineWindow } from '../src/store/timeline.js';
import { inTransaction } from '../src/store/transaction.js';
import { until } from './support/cli.js';
import { openTestDatabase, type TestDatabase } from './support/database.js';
import { largestItemKeptAndSized } from './support/sources-bytes.js';

// The size of a session's largest item (`maxItemBytes`) is a bound a page is read by without a
// running sum: it must never be below an item's size, whoever writes the items and whatever runs
// at the same time. Races need connections of their own: PostgreSQL only.

let db: TestDatabase;
let account: AccountCredentials;

beforeAll(async () => {
  db = await openTestDatabase();
  account = await createAccount(db.prisma);
});

afterAll(async () => {
  await db?.close();
});

function message(messageId: string, text: string, identity: string | null = null): NewMessage {
  const createdAt = new Date();
  return {
    kind: 'CHAT_MESSAGE', origin: 'TWILIO', messageId, role: 'user', identity, assistantId: null, content: null, meta: null,
    text, confidence: null, toolName: null, createdAt, updatedAt: createdAt, sources: [],
  };
}

/** The figure kept on the session, and the size of its largest item now, as the read budget sizes it. */
async function keptAndSized(session: Session): Promise<{ kept: number | null; sized: number }> {
  return (await largestItemKeptAndSized(db.prisma, account.accountSid)).find((each) => each.sessionId === session.sessionId)!;
}

/** Until a connection of this database other than `pid` waits for a lock, or `ended` says there is nothing to wait for. */
function untilAnotherWaits(pid: number, ended = () => false): Promise<void> {
  return until(async () => {
    if (ended()) return true;
    const [{ waiting }] = await db.prisma.$queryRaw<[{ waiting: number }]>`
      SELECT count(*)::int AS waiting FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> ${pid}`;
    return waiting > 0;
  }, 'another connection to wait for a lock', 10_000);
}

describe.skipIf(!process.env.DATABASE_URL)('the size of a session’s largest item, next to other writers on PostgreSQL', () => {
  // A gateway upgraded while others serve: an append holds its session's row from its first
  // statement and writes its items after. The migration sizing the sessions stored before must
  // not take its locks in the other order, or one of the two is refused as a deadlock.
  it('is filled in by its migration next to an append under way, neither of them refused', async () => {
    const { session } = await ensureSession(db.prisma, account.accountSid, { sessionId: 'busy' });
    await appendMessages(db.prisma, session, [message('m-1', 'first')]);
    // The store as before the migration filling the figure in: not known, the migration not applied.
    const name = (await migrationNames()).find((each) => each.endsWith('_session_item_bytes_backfill'))!;
    await db.prisma.$executeRaw`UPDATE session SET "maxItemBytes" = NULL`;
    await db.prisma.$executeRaw`DELETE FROM _prisma_migrations WHERE migration_name = ${name}`;

    let upgrading: Promise<string> | undefined;
    const appending = inTransaction(
      db.prisma,
      async (transaction) => {
        // The append's first statement: its session's row lock.
        const [{ pid }] = await transaction.client.$queryRaw<[{ pid: number }]>`SELECT pg_backend_pid() AS pid FROM session WHERE id = ${session.id} FOR UPDATE`;
        upgrading = openDatabase({ url: db.url }).then(
          (database) => database.close().then(() => 'migrated'),
          (error: unknown) => `refused: ${String(error)}`,
        );
        await untilAnotherWaits(pid);
        return appendMessages(transaction, session, [message('m-2', 'x'.repeat(5000))]);
      },
      { attempts: 1 },
    ).then(
      () => 'appended',
      (error: unknown) => `refused: ${String(error)}`,
    );

    const [appended, migrated] = await Promise.all([appending, appending.then(() => upgrading)]);
    expect({ appended, migrated }).toEqual({ appended: 'appended', migrated: 'migrated' });
    const { kept, sized } = await keptAndSized(session);
    expect(kept).toBe(sized);
  });

  // A script of an operator enlarging an item takes no lock of its session while the item stays
  // under the session's largest: an erasure sizing the session again meanwhile must still count it.
  it('is not lowered by an erasure below an item another writer enlarges meanwhile', async () => {
    const { session } = await ensureSession(db.prisma, account.accountSid, { sessionId: 'shared' });
    await appendMessages(db.prisma, session, [message('theirs', 'y'.repeat(10_000), 'erased-person'), message('kept', 'short')]);

    const operator = new pg.Client({ connectionString: db.url });
    await operator.connect();
    try {
      await operator.query('BEGIN');
      const {
        rows: [{ pid }],
      } = await operator.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      await operator.query(`UPDATE timeline_item SET text = repeat('w', 6000) WHERE "sessionPk" = $1 AND "messageId" = 'kept'`, [session.id]);
      let erased = false;
      const erasing = eraseIdentity(db.prisma, account.accountSid, 'erased-person', { credential: 'test' }).finally(() => {
        erased = true;
      });
      // The erasure either waits for the operator's statement or ends before it commits.
      await untilAnotherWaits(pid, () => erased);
      await operator.query('COMMIT');
      await erasing;
    } finally {
      await operator.end();
    }

    // A page read on a budget an earlier page of the request used part of: it holds no more than the budget.
    const budget = new ReadBudget(8000);
    budget.held = 3000;
    await loadSessionTimelineWindow(db.prisma, { accountSid: account.accountSid, idOrName: 'shared' }, { limit: 5, newestFirst: false, filter: {} }, budget);
    expect(budget.held).toBeLessThanOrEqual(budget.limit);
    const { kept, sized } = await keptAndSized(session);
    expect(kept).toBe(sized);
  });
});
