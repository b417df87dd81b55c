import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount, type AccountCredentials } from '../src/store/accounts.js';
import { openDatabase } from '../src/store/database.js';
import { migrationsDir } from '../src/store/schema-engine.js';
import { ensureSession } from '../src/store/sessions.js';
import { openTestDatabase, type TestDatabase } from './support/database.js';
import { asBeforeTheMigration, theMigrations } from './support/migrations.js';
import { appendOverGraphQL, graphql, startGateway, type StartedGateway } from './support/gateway.js';
import { keptAndSized } from './support/sources-bytes.js';

// A message's row keeps what its sources take (`sourcesBytes`): the read budget charges a page's
// sources by it, and a page reads sources only for the messages whose figure is not 0. Here the
// figure is held to what the read budget's own sizing (rowBytesSql, every column read) gives for
// the source rows, however they were written.

let db: TestDatabase;
let gateway: StartedGateway;
let account: AccountCredentials;

beforeAll(async () => {
  db = await openTestDatabase();
  account = await createAccount(db.prisma);
  await ensureSession(db.prisma, account.accountSid, { sessionId: 'cited' });
  gateway = await startGateway(db.prisma);
});

afterAll(async () => {
  await gateway?.close();
  await db?.close();
});

async function sourceKeysOnPage(): Promise<Record<string, string[]>> {
  const read = await graphql<{ session: { messages: { edges: { node: { messageId?: string; sources?: { key: string }[] } }[] } } }, unknown>(
    gateway,
    account.authToken,
    `{ session(id: "cited") { messages(first: 50) { edges { node { ... on ConversationMessage { messageId } ... on ChatMessage { sources { key } } ... on KnowledgeCall { sources { key } } } } } } }`,
  );
  expect(read.errors).toBeUndefined();
  return Object.fromEntries(read.data!.session.messages.edges.filter(({ node }) => node.messageId).map(({ node }) => [node.messageId!, (node.sources ?? []).map((s) => s.key)]));
}

describe('the size of a message’s sources, kept on its row', () => {
  it('is written by an append, for chat messages and knowledge calls, UTF-8 counted in bytes; 0 for a message citing none', async () => {
    await appendOverGraphQL(gateway, account.authToken, 'cited', [
      { messageId: 'm-1', role: 'ASSISTANT', type: 'CHAT_MESSAGE', text: 'with sources', sources: [
        { key: '1', text: 'Grüße aus Köln, 東京', url: 'https://example.com/a', title: 'A' },
        { key: '2', text: 'x'.repeat(5000) },
      ] },
      { messageId: 'm-2', role: 'USER', type: 'CHAT_MESSAGE', text: 'none' },
      { messageId: 'k-1', role: 'KNOWLEDGE', type: 'KNOWLEDGE_CALL', text: 'looked up', sources: [{ key: '1', text: 'found', score: 0.5 }] },
    ]);
    const rows = await keptAndSized(db.prisma, account.accountSid);
    expect(rows.map((row) => row.messageId)).toEqual(['m-1', 'm-2', 'k-1']);
    for (const row of rows) expect(row.kept).toBe(row.sized);
    expect(rows[0]!.kept).toBeGreaterThan(5000 + 2 * 300 + Buffer.byteLength('Grüße aus Köln, 東京'));
    expect(rows[1]!.kept).toBe(0);
    expect(rows[2]!.kept).toBeGreaterThan(300);
    expect(await sourceKeysOnPage()).toEqual({ 'm-1': ['1', '2'], 'm-2': [], 'k-1': ['1'] });
  });

  it('is kept by any statement that inserts or updates sources, not only by appends', async () => {
    const [m2] = await db.prisma.$queryRaw<{ id: bigint; seq: number }[]>`SELECT id, seq FROM timeline_item WHERE "accountSid" = ${account.accountSid} AND "messageId" = 'm-2'`;
    // A source written by a statement of an operator's own, at a position past the timeline's end.
    await db.prisma.$executeRaw`
      INSERT INTO timeline_item ("accountSid", "sessionPk", seq, kind, origin, "parentId", "sourceKey", text, "createdAt", "updatedAt")
      SELECT "accountSid", "sessionPk", 1000, 'SOURCE', origin, id, '9', 'added later', "createdAt", "updatedAt" FROM timeline_item WHERE id = ${m2!.id}`;
    await db.prisma.$executeRaw`UPDATE timeline_item SET text = repeat('y', 7000) WHERE "accountSid" = ${account.accountSid} AND "sourceKey" = '1' AND "parentId" IS NOT NULL`;
    const rows = await keptAndSized(db.prisma, account.accountSid);
    for (const row of rows) expect(row.kept).toBe(row.sized);
    expect(rows.find((row) => row.messageId === 'm-2')!.kept).toBeGreaterThan(300);
    expect(rows.find((row) => row.messageId === 'k-1')!.kept).toBeGreaterThan(7000);
    expect(await sourceKeysOnPage()).toEqual({ 'm-1': ['1', '2'], 'm-2': ['9'], 'k-1': ['1'] });
  });

  it('is given by a migration to the messages stored before it, as by the trigger', async () => {
    const [, backfilling] = await theMigrations();
    const sql = await readFile(path.join(migrationsDir, backfilling, 'migration.sql'), 'utf8');
    const backfill = sql.trim().replace(/;$/, '');
    // Forgotten, as on a store written before the column: an update of messages alone leaves it so.
    await db.prisma.$executeRaw`UPDATE timeline_item SET "sourcesBytes" = 0 WHERE "accountSid" = ${account.accountSid} AND "parentId" IS NULL`;
    expect((await keptAndSized(db.prisma, account.accountSid)).every((row) => row.kept === 0)).toBe(true);
    await db.prisma.$executeRawUnsafe(backfill);
    const rows = await keptAndSized(db.prisma, account.accountSid);
    for (const row of rows) expect(row.kept).toBe(row.sized);
    expect(rows.filter((row) => row.kept > 0)).toHaveLength(3);
  });

  // The migration fills in a store of any size: on PostgreSQL it runs with no statement time
  // limit, as one transaction, where the gateway's own statements are cut at
  // DATABASE_STATEMENT_TIMEOUT_MS (on a store of a million items it took 24 s, and a gateway
  // upgraded to it would not start).
  it.skipIf(!process.env.DATABASE_URL)('is filled in by the migrations on PostgreSQL however long they take, past the statement timeout', async () => {
    const names = await asBeforeTheMigration(db);
    // 20,000 more messages citing two sources each.
    const [{ id: sessionPk }] = await db.prisma.$queryRaw<{ id: bigint }[]>`SELECT id FROM session WHERE "accountSid" = ${account.accountSid}`;
    await db.prisma.$executeRaw`
      INSERT INTO timeline_item ("accountSid", "sessionPk", seq, kind, origin, "messageId", role, text, "createdAt", "updatedAt")
      SELECT ${account.accountSid}, ${sessionPk}, 10000 + 3 * n, 'CHAT_MESSAGE', 'TWILIO', 'bulk-' || n, 'assistant', 'message ' || n, now(), now()
      FROM generate_series(1, 20000) AS n`;
    await db.prisma.$executeRaw`
      INSERT INTO timeline_item ("accountSid", "sessionPk", seq, kind, origin, "parentId", "sourceKey", text, "createdAt", "updatedAt")
      SELECT m."accountSid", m."sessionPk", m.seq + k, 'SOURCE', 'TWILIO', m.id, k::text, 'source ' || k || ' of ' || m.seq, now(), now()
      FROM timeline_item m CROSS JOIN generate_series(1, 2) AS k WHERE m."messageId" LIKE 'bulk-%'`;
    const upgraded = await openDatabase({ url: db.url, timeouts: { connectMs: 3000, statementMs: 20 } });
    try {
      expect(upgraded.appliedMigrations).toEqual(names);
    } finally {
      await upgraded.close();
    }
    const rows = await keptAndSized(db.prisma, account.accountSid);
    expect(rows).toHaveLength(20_003);
    expect(rows.filter((row) => row.kept !== row.sized)).toEqual([]);
    expect(rows.filter((row) => row.kept > 0)).toHaveLength(20_003);
  });
});

// A migration is one transaction on either database: one failing part-way leaves nothing of
// itself, and the gateway says which failed and what to do, in a line. (Prisma's PostgreSQL adapter
// sent a script in pieces, each applied on its own; PGlite's did not wait for a script to run, so a
// failing one was recorded as applied.)
describe('a migration that fails', () => {
  it('leaves nothing of itself, says why, and is applied again at each start until its cause is mended', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'cg-migration-'));
    const store = await openTestDatabase(process.env.DATABASE_URL ? undefined : dataDir);
    const reopen = (migrate = true) => openDatabase(store.url ? { url: store.url, migrate } : { dataDir, migrate });
    let closed = false;
    try {
      const names = await asBeforeTheMigration(store);
      const [name] = names;
      // What makes the migration fail after its first statements: its function's name is taken.
      await store.prisma.$executeRawUnsafe('CREATE FUNCTION "timeline_item_size_sources_of"(bigint[]) RETURNS void LANGUAGE sql AS $$ SELECT $$');
      if (!store.url) {
        await store.close();
        closed = true;
      }
      const failed = /^A database migration failed, and nothing of it was kept \(a migration is one transaction; it is applied again at the next start\): .*"timeline_item_size_sources_of" already exists/;
      await expect(reopen()).rejects.toThrow(failed);
      // Applied again at the next start, its failed record settled, and failing again the same way.
      await expect(reopen()).rejects.toThrow(failed);

      const unmigrated = await reopen(false);
      try {
        const columns = await unmigrated.prisma.$queryRaw<unknown[]>`SELECT 1 FROM information_schema.columns WHERE table_name = 'timeline_item' AND column_name = 'sourcesBytes'`;
        expect(columns).toEqual([]);
        const records = await unmigrated.prisma.$queryRaw<{ finished: boolean; rolledBack: boolean }[]>`
          SELECT finished_at IS NOT NULL AS finished, rolled_back_at IS NOT NULL AS "rolledBack" FROM _prisma_migrations WHERE migration_name = ${name} ORDER BY started_at`;
        expect(records).toEqual([{ finished: false, rolledBack: true }, { finished: false, rolledBack: false }]);
        // The cause mended.
        await unmigrated.prisma.$executeRawUnsafe('DROP FUNCTION "timeline_item_size_sources_of"(bigint[])');
      } finally {
        await unmigrated.close();
      }
      const mended = await reopen();
      try {
        expect(mended.appliedMigrations).toEqual(names);
      } finally {
        await mended.close();
      }
    } finally {
      if (!closed) await store.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
