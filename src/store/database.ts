import { mkdir, open, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import type { PGlite } from '@electric-sql/pglite';
import type { PrismaPg } from '@prisma/adapter-pg';
import type { PrismaPGlite } from 'pglite-prisma-adapter';
import type pg from 'pg';
import { Prisma, PrismaClient as GeneratedPrismaClient } from './generated/prisma/client.js';
import { applyMigrations, migrationNames, migrationsOutsideTransactions } from './schema-engine.js';
import { inTransaction } from './transaction.js';
import { GatewayError } from '../errors.js';
import { withUnavailableErrors } from './unavailable.js';
import { postgresConnectionError } from './connection-errors.js';
import { pgliteRowReader, pgRowReader, type PrismaClient, type ReadRows } from './rows.js';

export type { PrismaClient };

export interface DatabaseOptions {
  /** postgresql://… selects PostgreSQL; without it the embedded PGlite database under dataDir is used. */
  url?: string;
  /** The embedded database's directory; "memory://" keeps it in memory. */
  dataDir?: string;
  /** Called with every SQL statement sent, in order (tests count them). */
  onStatement?: (sql: string) => void;
  /** Apply pending migrations on open (default true). */
  migrate?: boolean;
  /**
   * PostgreSQL only: how long to wait for a connection, and how long a statement may run. Without
   * it, a connection is awaited 3 s and statements are not limited (a migration or an import may
   * take long); the server sets both from its configuration.
   */
  timeouts?: DatabaseTimeouts;
  /**
   * The time zone every connection works in, UTC unless said. Prisma's adapters write an instant
   * as a UTC date-time without its offset and read one back as if it were in UTC, so a connection
   * in the server's own zone (a server set to Europe/Berlin, say), or an embedded database in the
   * process's local zone (PGlite takes that zone's offset when it opens), would store every time
   * shifted by that offset. Tests name another zone to see the row reader cope.
   */
  timeZone?: string;
}

export interface DatabaseTimeouts {
  connectMs: number;
  statementMs?: number;
}

export interface Database {
  prisma: PrismaClient;
  adapter: SqlMigrationAwareDriverAdapterFactory;
  /** Where the data lives, for logs: "PostgreSQL at host:port/db" or "embedded PGlite in ./data". */
  description: string;
  embedded: boolean;
  /** Migrations applied while opening. */
  appliedMigrations: string[];
  /** The PostgreSQL connection pool (its counts are metrics); none for the embedded database. */
  pool?: { totalCount: number; idleCount: number; waitingCount: number };
  close(): Promise<void>;
}

/** Runs `work` on the database (a CLI command's), closing it however the work ends. */
export async function withDatabase<T>(options: DatabaseOptions, work: (database: Database) => Promise<T>): Promise<T> {
  const database = await openDatabase(options);
  try {
    return await work(database);
  } finally {
    await database.close();
  }
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  const opened = options.url ? await postgres(options.url, options.timeouts ?? { connectMs: 3000 }, options.timeZone ?? 'UTC') : await embeddedPGlite(options.dataDir ?? './data', options.timeZone ?? 'UTC');
  const { adapter, readRows, description, embedded, release } = opened;
  const pool = 'pool' in opened ? opened.pool : undefined;
  try {
    const prisma = statementRecordingClient(adapter, readRows, options.onStatement);
    const appliedMigrations = options.migrate === false ? [] : await migrateIfBehind(prisma, opened.migrations);
    return {
      prisma,
      adapter,
      description,
      embedded,
      appliedMigrations,
      pool,
      async close() {
        await prisma.$disconnect();
        await release();
      },
    };
  } catch (error) {
    await release();
    throw error;
  }
}

/**
 * Applies pending migrations. The schema engine is only loaded when one is pending: it is a large
 * WebAssembly module whose memory stays with the process once instantiated.
 */
async function migrateIfBehind(prisma: PrismaClient, migrations: () => MigrationAdapter): Promise<string[]> {
  // A database never migrated has no _prisma_migrations table yet: everything is pending.
  const pending = await pendingMigrations(prisma).catch((error: unknown) => {
    if (error instanceof GatewayError) throw error;
    return null;
  });
  if (pending?.length === 0) return [];
  const outsideTransactions = await migrationsOutsideTransactions();
  if (pending) await settleUnfinishedMigrations(prisma, outsideTransactions);
  const { adapter, release } = migrations();
  try {
    return await applyMigrations(adapter, () => unfinishedOutsideTransactions(prisma, outsideTransactions).catch(() => undefined));
  } finally {
    await release();
  }
}

/** A migration's record that says it started and never finished (nor was settled). */
const UNFINISHED = Prisma.sql`finished_at IS NULL AND rolled_back_at IS NULL`;

/** Of the migrations building an index outside a transaction (`outsideTransactions`), the one whose record is unfinished, if any: one that has just failed. */
async function unfinishedOutsideTransactions(prisma: PrismaClient, outsideTransactions: readonly string[]): Promise<string | undefined> {
  const rows = await prisma.$queryRaw<{ name: string }[]>`
    SELECT migration_name AS name FROM _prisma_migrations WHERE ${UNFINISHED} AND migration_name = ANY(${outsideTransactions}::text[])`;
  return rows[0]?.name;
}

/** Prisma's schema engine holds this advisory lock while it applies migrations. */
const MIGRATION_LOCK = 72707369;

/**
 * Marks rolled back the records of migrations that started and never finished (their process died,
 * or their script failed), so that they are applied again: each ran as one transaction
 * (scriptsRunWhole), so nothing of them stayed. Only while no gateway is applying migrations
 * (Prisma's advisory lock is free: a record another is writing now is not stale), and never for a
 * migration building an index CONCURRENTLY, which runs outside a transaction and may leave an
 * invalid index behind: that one is left to an operator, as the error then says.
 */
async function settleUnfinishedMigrations(prisma: PrismaClient, outsideTransactions: readonly string[]): Promise<void> {
  await inTransaction(prisma, async ({ client }) => {
    const [{ free }] = await client.$queryRaw<[{ free: boolean }]>`SELECT pg_try_advisory_xact_lock(${MIGRATION_LOCK}::bigint) AS free`;
    if (!free) return;
    await client.$executeRaw`
      UPDATE _prisma_migrations SET rolled_back_at = now() WHERE ${UNFINISHED} AND NOT (migration_name = ANY(${outsideTransactions}::text[]))`;
  });
}

/** The adapter the schema engine applies migrations with, and how to let it go. */
interface MigrationAdapter {
  adapter: SqlMigrationAwareDriverAdapterFactory;
  release(): Promise<void>;
}

/** Migrations this build has that the database has not applied (a readiness check); throws when the database does not answer. */
export async function pendingMigrations(prisma: PrismaClient): Promise<string[]> {
  const applied = await prisma.$queryRaw<{ migration_name: string }[]>`
    SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`;
  const done = new Set(applied.map((row) => row.migration_name));
  return (await migrationNames()).filter((name) => !done.has(name));
}

/** Whether the database takes no writes now: turned read-only (default_transaction_read_only), or a standby in recovery. */
export async function refusesWrites(prisma: PrismaClient): Promise<boolean> {
  const [row] = await prisma.$queryRaw<[{ readOnly: string }]>`SELECT current_setting('transaction_read_only') AS "readOnly"`;
  return row.readOnly === 'on';
}

/** Query events cost an object per statement, so they are only switched on when someone listens. */
function statementRecordingClient(adapter: SqlMigrationAwareDriverAdapterFactory, readRows: ReadRows, onStatement?: (sql: string) => void): PrismaClient {
  if (!onStatement) return withUnavailableErrors(new GeneratedPrismaClient({ adapter }), readRows);
  const prisma = new GeneratedPrismaClient({ adapter, log: [{ emit: 'event', level: 'query' }] });
  prisma.$on('query', (event) => onStatement(event.query));
  return withUnavailableErrors(prisma, (query, onRow) => {
    onStatement(query.text);
    return readRows(query, onRow);
  });
}

/** Sets a session's TimeZone (DatabaseOptions.timeZone), its zone a parameter. */
const SET_TIME_ZONE = "SELECT set_config('TimeZone', $1, false)";

// Each database's driver is loaded only when it is used: a process never holds both.
async function postgres(url: string, timeouts: DatabaseTimeouts, timeZone: string) {
  // A URL checked already, with the configuration.
  const parsed = new URL(url);
  const [{ PrismaPg }, { default: pg }] = await Promise.all([import('@prisma/adapter-pg'), import('pg')]);
  // The pool is made here rather than by the adapter so that its connection counts can be read.
  const pool = new pg.Pool({
    connectionString: url,
    connectionTimeoutMillis: timeouts.connectMs,
    // The server cancels a statement at its timeout; the client gives up a second later, for a
    // server that does not answer at all (a frozen host), and the pool drops that connection.
    ...(timeouts.statementMs ? { statement_timeout: timeouts.statementMs, query_timeout: timeouts.statementMs + 1000 } : {}),
    // A connection left idle is closed, so one that died with a restarted server is not kept.
    idleTimeoutMillis: 10_000,
    // Set before the pool hands the connection out: its first statement already runs in the zone.
    onConnect: (client) => client.query(SET_TIME_ZONE, [timeZone]),
  });
  keepIdleErrors(pool);
  await pool.query('SELECT 1').catch(async (error: unknown) => {
    await pool.end();
    throw postgresConnectionError(error, parsed);
  });
  return {
    adapter: new PrismaPg(pool),
    migrations: () => postgresMigrations(PrismaPg, pg, url, timeouts),
    readRows: pgRowReader(pool, pg),
    description: `PostgreSQL at ${parsed.host}${parsed.pathname}`,
    embedded: false,
    pool,
    release: () => pool.end(),
  };
}

/** How long a migration waits for a lock on PostgreSQL before it gives up (and fails whole). */
const MIGRATION_LOCK_WAIT_MS = 2000;

/**
 * What applies migrations to PostgreSQL: Prisma's adapter on a pool of its own with no statement
 * time limit (a migration filling in a new column of a large store takes as long as it takes,
 * where the gateway's statements are cut at DATABASE_STATEMENT_TIMEOUT_MS), its scripts run whole.
 */
function postgresMigrations(PrismaPgFactory: typeof PrismaPg, driver: typeof pg, url: string, timeouts: DatabaseTimeouts): MigrationAdapter {
  const pool = new driver.Pool({
    connectionString: url,
    connectionTimeoutMillis: timeouts.connectMs,
    max: 1,
    // No time limit, whatever the database's or the role's default. But a lock a migration cannot
    // take at once (a long statement holds its table: a dump, a report) is given up after a
    // moment: every statement of the gateways already serving would queue behind the wait. The
    // migration fails whole, and is applied again at the next start.
    options: `-c statement_timeout=0 -c lock_timeout=${MIGRATION_LOCK_WAIT_MS}`,
  });
  keepIdleErrors(pool);
  return { adapter: scriptsRunWhole(new PrismaPgFactory(pool), (script) => pool.query(script)), release: () => pool.end() };
}

/**
 * An idle connection's error (the server restarted, or was stopped while the gateway closes) is
 * the pool's to handle: it drops that connection, and a statement after opens another. Without a
 * listener of its own the pool throws it, out of any request, and the process ends: Prisma's
 * adapter listens only while it is connected, not while the pool ends.
 */
function keepIdleErrors(pool: pg.Pool): void {
  pool.on('error', () => {});
}

/**
 * `factory` with each migration's script sent to the database in one piece, by `run`, and awaited.
 * Prisma's PostgreSQL adapter splits a script at every ";" and sends the pieces one by one: a
 * function's body (a trigger's) is cut apart, and a migration failing part-way stays part-applied.
 * PGlite's starts a script and returns before it has run: a failing migration would be recorded as
 * applied, and its error left unhandled. Sent whole, in the simple query protocol, a script runs as
 * one implicit transaction: all of it or none of it. (A statement that cannot run in a
 * transaction, CREATE INDEX CONCURRENTLY, stands in a migration of its own.)
 */
function scriptsRunWhole<Factory extends SqlMigrationAwareDriverAdapterFactory>(factory: Factory, run: (script: string) => Promise<unknown>): Factory {
  const { connect } = factory;
  factory.connect = async () => {
    const adapter = await connect.call(factory);
    // The adapter's own translation of a database error into Prisma's, as its executeScript makes.
    const { onError } = adapter as unknown as { onError(error: unknown): never };
    adapter.executeScript = (script) => run(script).then(
      () => undefined,
      (error: unknown) => onError.call(adapter, error),
    );
    return adapter;
  };
  return factory;
}

/** What applies migrations to the embedded database: its own adapter, its scripts run whole. */
function pgliteMigrations(PrismaPGliteFactory: typeof PrismaPGlite, pglite: PGlite): MigrationAdapter {
  return { adapter: scriptsRunWhole(new PrismaPGliteFactory(pglite), (script) => pglite.exec(script)), release: async () => {} };
}

async function embeddedPGlite(dataDir: string, timeZone: string) {
  const [{ PGlite }, { PrismaPGlite }] = await Promise.all([import('@electric-sql/pglite'), import('pglite-prisma-adapter')]);
  // PGlite is one session: a zone set once holds for every statement after.
  const inZone = (pglite: InstanceType<typeof PGlite>) => pglite.query(SET_TIME_ZONE, [timeZone]);
  if (dataDir.startsWith('memory://')) {
    const pglite = new PGlite(dataDir);
    await inZone(pglite);
    const adapter = new PrismaPGlite(pglite);
    return {
      adapter,
      migrations: () => pgliteMigrations(PrismaPGlite, pglite),
      readRows: pgliteRowReader(pglite),
      description: 'embedded PGlite in memory',
      embedded: true,
      release: () => pglite.close(),
    };
  }
  await mkdir(dataDir, { recursive: true });
  const unlock = await lockDataDir(dataDir);
  try {
    const pglite = new PGlite(path.join(dataDir, 'pglite'));
    await pglite.waitReady;
    await inZone(pglite);
    const adapter = new PrismaPGlite(pglite);
    return {
      adapter,
      migrations: () => pgliteMigrations(PrismaPGlite, pglite),
      readRows: pgliteRowReader(pglite),
      description: `embedded PGlite in ${dataDir}`,
      embedded: true,
      release: async () => {
        await pglite.close();
        await unlock();
      },
    };
  } catch (error) {
    await unlock();
    throw error;
  }
}

/**
 * PGlite is a single-process database: two processes opening one directory would corrupt it.
 * A lock file holding the owner's pid turns that into a clear message; a stale lock (its process
 * gone, say after a crash) is taken over, and that is said on standard error.
 */
async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const lockPath = path.join(dataDir, 'gateway.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(lockPath, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => rm(lockPath, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number.parseInt(await readFile(lockPath, 'utf8').catch(() => ''), 10);
      if (owner && owner !== process.pid && isRunning(owner)) {
        throw new GatewayError(
          'database_in_use',
          `The embedded database in ${dataDir} is in use by another gateway process (pid ${owner}). ` +
            'Stop that process and run the command again, or point both at PostgreSQL with DATABASE_URL. ' +
            `(If pid ${owner} is no gateway, the lock is stale: remove ${lockPath}.)`,
        );
      }
      console.warn(
        `conversation-gateway: took over ${lockPath}, left by ${owner ? `process ${owner}, which is no longer running` : 'a process that did not record its pid'} (it did not shut down cleanly).`,
      );
      await rm(lockPath, { force: true });
    }
  }
  throw new GatewayError('database_in_use', `Could not lock the embedded database in ${dataDir}; remove ${lockPath} if no gateway is running.`);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
