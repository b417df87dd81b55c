import type { PrismaClient } from './database.js';
import { postgresConnectionError } from './connection-errors.js';
import { GatewayError } from '../errors.js';
import { deleteExpiredSessions, type ErasureOptions } from './erasure.js';

/**
 * The PostgreSQL advisory lock a gateway holds for the whole of a retention sweep: gateways sharing
 * a database sweep one at a time. A fixed key of this application's own.
 */
export const RETENTION_SWEEP_LOCK = 7_305_104_113n;

/** A sweep's hold on the lock. */
export interface RetentionSweepLock {
  /** Throws `unavailable` once the lock may be lost (its session ended): the sweep stops there. */
  check(): void;
  release(): Promise<void>;
}

/**
 * Takes the sweep lock, or answers null when another gateway holds it. On PostgreSQL the lock
 * belongs to a session of its own (a pooled connection is shared with requests and could not keep
 * it), opened for the sweep and closed after; should that session end meanwhile, the lock goes with
 * it, and `check` says so before the next batch. The embedded database belongs to one process,
 * which never sweeps twice at once: there is nobody to lock out.
 */
export async function tryRetentionSweepLock(url: string | undefined, connectMs: number): Promise<RetentionSweepLock | null> {
  if (!url) return { check() {}, release: async () => {} };
  const { default: pg } = await import('pg');
  const session = new pg.Client({ connectionString: url, connectionTimeoutMillis: connectMs });
  let lost: Error | undefined;
  session.on('error', (error) => (lost = error));
  session.on('end', () => (lost ??= new Error('the connection ended')));
  try {
    await session.connect();
    const { rows } = await session.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [RETENTION_SWEEP_LOCK.toString()]);
    if (!rows[0]!.locked) {
      await session.end();
      return null;
    }
  } catch (error) {
    void session.end().catch(() => {});
    throw postgresConnectionError(error, new URL(url));
  }
  return {
    check() {
      if (lost) throw new GatewayError('unavailable', `The retention sweep's lock session ended (${lost.message}); the next sweep carries on`);
    },
    // Ending the session releases the lock with it.
    release: () => session.end().catch(() => {}),
  };
}

/** How erasure records name the sweep, which acts for no caller. */
const RETENTION_CREDENTIAL = 'retention-sweep';

/** An account whose sessions expire, and after how many days. */
export interface AccountRetention {
  accountSid: string;
  retentionDays: number;
}

export async function accountsWithRetention(prisma: PrismaClient): Promise<AccountRetention[]> {
  const accounts = await prisma.account.findMany({ where: { retentionDays: { not: null } }, select: { sid: true, retentionDays: true }, orderBy: { sid: 'asc' } });
  return accounts.map(({ sid, retentionDays }) => ({ accountSid: sid, retentionDays: retentionDays! }));
}

/** What one sweep deleted, over all accounts. */
export interface SweepTotals {
  /** Accounts with a retention set. */
  accounts: number;
  /** Batches deleted, each its own transaction. */
  batches: number;
  sessions: number;
  messages: number;
  sources: number;
}

export interface SweepOptions {
  /** The most sessions one transaction deletes: no lock is held for long, and no statement is large. */
  batchSize: number;
  /** Called before each batch; false stops the sweep there (the gateway is shutting down), a throw ends it. */
  beforeBatch(): boolean;
  /** Where the deletions are announced, so the sessions' open streams end. */
  events?: ErasureOptions['events'];
}

export function noSweepTotals(): SweepTotals {
  return { accounts: 0, batches: 0, sessions: 0, messages: 0, sources: 0 };
}

/**
 * Deletes, account by account, the sessions whose last message is older than the account's
 * retention (an empty session counts from its creation), oldest first, in batches: each batch is
 * chosen (through the session lists' index on that same time) and deleted in a transaction of its
 * own, with all its items and sources, and recorded as a RETENTION erasure (deleteExpiredSessions).
 * The cutoff is the database's clock, so every gateway sharing it agrees on it. `totals` is counted up batch by
 * batch: a sweep that ends in an error has still deleted what its committed batches say.
 */
export async function sweepExpiredSessions(prisma: PrismaClient, totals: SweepTotals, { batchSize, beforeBatch, events }: SweepOptions): Promise<void> {
  const accounts = await accountsWithRetention(prisma);
  totals.accounts = accounts.length;
  for (const { accountSid, retentionDays } of accounts) {
    for (;;) {
      if (!beforeBatch()) return;
      const erased = await deleteExpiredSessions(prisma, accountSid, retentionDays, batchSize, { credential: RETENTION_CREDENTIAL, events });
      if (erased.sessions) totals.batches++;
      totals.sessions += erased.sessions;
      totals.messages += erased.messages;
      totals.sources += erased.sources;
      // A short batch was the last (a session revived while the batch waited for it leaves the rest to the next sweep).
      if (erased.sessions < batchSize) break;
    }
  }
}
