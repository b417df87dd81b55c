import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/store/database.js';
import { migrationNames } from '../src/store/schema-engine.js';
import { openTestDatabase, type TestDatabase } from './support/database.js';
import { asBeforeTheMigration } from './support/migrations.js';

// A gateway upgraded while others serve a live store: its migration takes the strongest lock on
// timeline_item. While that lock is only waited for (a long read holds the table: a dump, a
// report), every statement on the table queues behind the wait, and readers would meet their
// statement timeout: the migration gives the wait up after a moment (lock_timeout), and fails whole.

let db: TestDatabase;

beforeAll(async () => {
  db = await openTestDatabase();
});

afterAll(async () => {
  await db?.close();
});

/** A long read holding timeline_item, as pg_dump does for as long as it runs: COMMIT lets it go. */
async function holdingTheTable(): Promise<pg.Client> {
  const longRead = new pg.Client({ connectionString: db.url });
  await longRead.connect();
  await longRead.query('BEGIN');
  await longRead.query('SELECT count(*) FROM timeline_item');
  return longRead;
}

describe.skipIf(!process.env.DATABASE_URL)('a migration of a live store on PostgreSQL', () => {
  it('waiting for a lock, does not stall the statements of the gateways already serving', async () => {
    await asBeforeTheMigration(db);

    const longRead = await holdingTheTable();

    const upgrading = openDatabase({ url: db.url }).then(
      (database) => database.close().then(() => 'migrated'),
      (error: unknown) => `refused: ${String(error)}`,
    );
    await new Promise((resolve) => setTimeout(resolve, 500));

    // A gateway already serving, its statements cut at 3 s.
    const serving = new pg.Client({ connectionString: db.url, statement_timeout: 3000 });
    await serving.connect();
    try {
      const read = await serving.query('SELECT count(*)::int AS n FROM timeline_item').then(
        () => 'answered',
        (error: Error) => error.message,
      );
      expect(read).toBe('answered');
      // The upgrading gateway gave the wait up, said so, and kept nothing of the migration.
      expect(await upgrading).toMatch(/^refused: .*A database migration failed, and nothing of it was kept .*lock timeout/);
    } finally {
      await serving.end();
      await longRead.query('COMMIT');
      await longRead.end();
      await upgrading;
    }
    const columns = await db.prisma.$queryRaw<unknown[]>`SELECT 1 FROM information_schema.columns WHERE table_name = 'timeline_item' AND column_name = 'sourcesBytes'`;
    expect(columns).toEqual([]);
  });

  // A migration is one transaction: cut off part-way (its process killed at a deadline of the
  // orchestrator, its connection dropped), nothing of it stays, and the next start can run it again.
  it('cut off part-way, is run again by the next gateway to start', async () => {
    const names = await asBeforeTheMigration(db);
    const longRead = await holdingTheTable();
    const cut = openDatabase({ url: db.url }).then(
      (database) => database.close().then(() => 'migrated'),
      (error: unknown) => `refused: ${String(error)}`,
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    // The migration's connection goes, as when its process dies.
    await db.prisma.$executeRawUnsafe(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`);
    expect(await cut).toMatch(/^refused/);
    await longRead.query('COMMIT');
    await longRead.end();

    const restarted = await openDatabase({ url: db.url }).then(
      async (database) => {
        const applied = database.appliedMigrations;
        await database.close();
        return applied;
      },
      (error: unknown) => `refused: ${String(error)}`,
    );
    expect(restarted).toEqual(names);
  });

  // A migration building an index CONCURRENTLY runs outside a transaction: failed, it may leave an
  // invalid index behind, and it is not applied again by itself. From its first failure on, the
  // line says so and what an operator is to do.
  it('building an index outside a transaction, says from its first failure what an operator is to do', async () => {
    const name = (await migrationNames()).find((each) => each.endsWith('_erasure_identity_index'))!;
    await db.prisma.$executeRawUnsafe('DROP INDEX IF EXISTS "timeline_item_accountSid_identity_idx"');
    await db.prisma.$executeRaw`DELETE FROM _prisma_migrations WHERE migration_name = ${name}`;
    // A lock the index build conflicts with, held past the migrations' lock timeout.
    const holder = new pg.Client({ connectionString: db.url });
    await holder.connect();
    await holder.query('BEGIN');
    await holder.query('LOCK TABLE timeline_item IN SHARE UPDATE EXCLUSIVE MODE');
    const start = () => openDatabase({ url: db.url }).then((database) => database.close().then(() => 'migrated'), (error: unknown) => `refused: ${String(error)}`);
    const operatorLine = new RegExp(`^refused: .*The database's migration ${name} failed.*outside a transaction: drop what it left .*DELETE FROM _prisma_migrations WHERE migration_name = '${name}'`);
    try {
      expect(await start()).toMatch(operatorLine);
    } finally {
      await holder.query('COMMIT');
      await holder.end();
    }
    // Refused at the next start as well, its record not settled by itself.
    expect(await start()).toMatch(operatorLine);
    // What the line says to do.
    await db.prisma.$executeRawUnsafe('DROP INDEX IF EXISTS "timeline_item_accountSid_identity_idx"');
    await db.prisma.$executeRaw`DELETE FROM _prisma_migrations WHERE migration_name = ${name} AND finished_at IS NULL`;
    expect(await start()).toBe('migrated');
  });
});
