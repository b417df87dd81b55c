import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount, type AccountCredentials } from '../src/store/accounts.js';
import { appendMessages, type NewMessage } from '../src/store/append.js';
import { ensureSession } from '../src/store/sessions.js';
import { inTransaction } from '../src/store/transaction.js';
import { openTestDatabase, type TestDatabase } from './support/database.js';
import { keptAndSized } from './support/sources-bytes.js';

// The figure a message's row keeps for its sources (`sourcesBytes`) against the writes that
// change its sources other than by an append, and what an append itself costs in rows written.

let db: TestDatabase;
let account: AccountCredentials;
let session: { id: bigint; accountSid: string };

beforeAll(async () => {
  db = await openTestDatabase();
  account = await createAccount(db.prisma);
  const ensured = await ensureSession(db.prisma, account.accountSid, { sessionId: 'cited' });
  session = { id: ensured.session.id, accountSid: account.accountSid };
});

afterAll(async () => {
  await db?.close();
});

function message(messageId: string, sourceTexts: string[]): NewMessage {
  const at = new Date('2026-01-01T00:00:00Z');
  return {
    kind: 'CHAT_MESSAGE',
    origin: 'ANALYTICS',
    messageId,
    role: 'assistant',
    identity: null,
    assistantId: null,
    content: null,
    meta: null,
    text: `text of ${messageId}`,
    confidence: null,
    toolName: null,
    createdAt: at,
    updatedAt: at,
    sources: sourceTexts.map((text, n) => ({ key: String(n + 1), text, url: null, score: null, title: null })),
  };
}

describe('the size of a message’s sources, kept on its row, under writes other than appends', () => {
  it('follows a source deleted on its own, as an operator takes down one source', async () => {
    await appendMessages(db.prisma, session, [message('takedown', ['kept', 'z'.repeat(20_000)])]);
    await db.prisma.$executeRaw`DELETE FROM timeline_item WHERE "accountSid" = ${account.accountSid} AND text = ${'z'.repeat(20_000)}`;
    const row = (await keptAndSized(db.prisma, account.accountSid)).find((r) => r.messageId === 'takedown')!;
    expect(row.kept).toBe(row.sized);
  });

  it('follows a source moved to another message: the message it left is sized again too', async () => {
    await appendMessages(db.prisma, session, [message('from', ['y'.repeat(10_000)]), message('to', [])]);
    await db.prisma.$executeRaw`
      UPDATE timeline_item SET "parentId" = (SELECT id FROM timeline_item WHERE "accountSid" = ${account.accountSid} AND "messageId" = 'to')
      WHERE "parentId" = (SELECT id FROM timeline_item WHERE "accountSid" = ${account.accountSid} AND "messageId" = 'from')`;
    const rows = await keptAndSized(db.prisma, account.accountSid);
    for (const messageId of ['from', 'to']) {
      const row = rows.find((r) => r.messageId === messageId)!;
      expect({ messageId, kept: row.kept }).toEqual({ messageId, kept: row.sized });
    }
  });
});

describe('an append of messages citing sources', () => {
  // The figure is known when the append writes the message; written by a trigger after the
  // sources, each such message row is written twice (a dead version, and new index entries
  // unless the update stays on its page), doubling the row writes of an import.
  it('writes each timeline row once, updating none', async () => {
    const updated = await inTransaction(db.prisma, async (transaction) => {
      const rowsUpdated = async () => {
        const [stats] = await transaction.client.$queryRaw<{ updated: number }[]>`
          SELECT n_tup_upd::int AS updated FROM pg_stat_xact_user_tables WHERE relname = 'timeline_item'`;
        return stats!.updated;
      };
      const before = await rowsUpdated();
      await appendMessages(transaction, session, [message('once-1', ['a', 'b']), message('once-2', ['c']), message('once-3', [])]);
      return (await rowsUpdated()) - before;
    });
    expect(updated).toBe(0);
  });
});
